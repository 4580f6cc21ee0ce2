// 报表: each [data-chart] holds its series as JSON; drawn with the vendored ECharts (SVG).
(function () {
  "use strict";
  var COLORS = ["#1d6fb8", "#0a8f6a", "#e07a1f", "#8e44ad", "#c0143c", "#2c3e50", "#16a085",
                "#d4a017", "#7f8c8d", "#5d6dbe"];

  function draw(el) {
    var spec = JSON.parse(el.getAttribute("data-chart") || "{}");
    if (!spec.x || spec.x.length === 0) {
      el.classList.add("empty-chart");
      el.textContent = "本期无数据 · No data";
      return;
    }
    var chart = echarts.init(el, null, {renderer: "svg"});
    var series = spec.series.map(function (s) {
      var one = {name: s.name, type: spec.kind, data: s.data};
      if (spec.stack) { one.stack = "all"; }
      if (spec.mark) {
        one.markLine = {symbol: "none", silent: true, lineStyle: {color: "#c0143c", type: "dashed"},
                        label: {formatter: "90%", color: "#c0143c"}, data: [{yAxis: spec.mark}]};
        one.itemStyle = {color: function (p) { return p.value !== null && p.value < spec.mark ? "#c0143c" : "#1d6fb8"; }};
      }
      return one;
    });
    chart.setOption({
      animation: false,
      color: COLORS,
      textStyle: {fontSize: 14},
      legend: {top: 0, textStyle: {fontSize: 13}},
      tooltip: {trigger: "axis"},
      grid: {left: 50, right: 16, top: 40, bottom: 70},
      xAxis: {type: "category", data: spec.x, axisLabel: {rotate: spec.x.length > 8 ? 30 : 0, fontSize: 12}},
      yAxis: {type: "value", name: spec.unit || "", min: spec.mark ? function (v) { return Math.max(0, Math.floor(Math.min(v.min, spec.mark) - 5)); } : null},
      series: series
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(draw);
    document.body.setAttribute("data-charts-drawn", "1");
  });
})();
