// 报表: each [data-chart] holds its series as JSON; drawn with the vendored ECharts (its simple
// build: no legend or markLine component, so the legend is HTML and the 90% line a series).
(function () {
  "use strict";
  var COLORS = ["#1d6fb8", "#0a8f6a", "#e07a1f", "#8e44ad", "#c0143c", "#2c3e50", "#16a085",
                "#d4a017", "#7f8c8d", "#5d6dbe"];
  var FLAG = "#c0143c";

  function legend(el, items) {
    var list = document.createElement("ul");
    list.className = "chart-legend";
    items.forEach(function (item) {
      var entry = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = item.color;
      entry.appendChild(swatch);
      entry.appendChild(document.createTextNode(item.name));
      list.appendChild(entry);
    });
    el.parentNode.insertBefore(list, el.nextSibling);
  }

  function draw(el) {
    var spec = JSON.parse(el.getAttribute("data-chart") || "{}");
    if (!spec.x || spec.x.length === 0) {
      el.classList.add("empty-chart");
      el.textContent = "本期无数据 · No data";
      return;
    }
    var chart = echarts.init(el, null, {renderer: "svg"});
    var shown = [];
    var series = spec.series.map(function (s, i) {
      var color = COLORS[i % COLORS.length];
      var one = {name: s.name, type: spec.kind, data: s.data, itemStyle: {color: color}};
      if (spec.stack) { one.stack = "all"; }
      if (spec.mark) {
        one.itemStyle = {color: function (p) { return p.value !== null && p.value < spec.mark ? FLAG : color; }};
      }
      shown.push({name: s.name, color: color});
      return one;
    });
    if (spec.mark) {
      series.push({name: spec.mark + "%", type: "line", symbol: "none", silent: true,
                   data: spec.x.map(function () { return spec.mark; }),
                   lineStyle: {color: FLAG, type: "dashed", width: 2}});
      shown.push({name: "低于 " + spec.mark + "% 标红", color: FLAG});
    }
    chart.setOption({
      animation: false,
      textStyle: {fontSize: 14},
      tooltip: {trigger: "axis"},
      grid: {left: 56, right: 16, top: 30, bottom: spec.x.length > 8 ? 90 : 40},
      xAxis: {type: "category", data: spec.x,
              axisLabel: {rotate: spec.x.length > 8 ? 30 : 0, fontSize: 13,
                          interval: spec.x.length > 31 ? "auto" : 0}},
      yAxis: {type: "value", name: spec.unit || "", nameTextStyle: {fontSize: 13},
              max: spec.mark ? 100 : null,
              min: spec.mark ? function (v) { return Math.max(0, Math.floor(Math.min(v.min, spec.mark) - 5)); } : null},
      series: series
    });
    legend(el, shown);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(draw);
    document.body.setAttribute("data-charts-drawn", "1");
  });
})();
