// Live parts of the console: one server-sent event stream per page replaces server-rendered
// fragments by id; the day's charts are drawn with ECharts from the figures' data attribute.
(function () {
  "use strict";
  var stream = document.body.getAttribute("data-stream");
  var charts = {};

  function drawCharts() {
    if (typeof echarts === "undefined") { return; }
    var holder = document.querySelector("[data-charts]");
    if (!holder) { return; }
    var data = JSON.parse(holder.getAttribute("data-charts") || "{}");
    if (!data.hours) { return; }
    var specs = {
      "chart-issued": {x: data.hours, y: data.issued, type: "bar"},
      "chart-waiting": {x: data.times, y: data.waiting, type: "line"}
    };
    Object.keys(specs).forEach(function (id) {
      var el = document.getElementById(id);
      if (!el) { return; }
      var spec = specs[id];
      charts[id] = charts[id] || echarts.init(el, null, {renderer: "svg"});
      charts[id].setOption({
        animation: false,
        grid: {left: 36, right: 12, top: 10, bottom: 24},
        xAxis: {type: "category", data: spec.x},
        yAxis: {type: "value", minInterval: 1},
        series: [{type: spec.type, data: spec.y, itemStyle: {color: spec.type === "bar" ? "#1d6fb8" : "#0a8f6a"}}]
      });
    });
  }

  function apply(payload) {
    var fragments = payload.fragments || {};
    Object.keys(fragments).forEach(function (key) {
      var el = document.getElementById("live-" + key);
      if (el) { el.innerHTML = fragments[key]; }
    });
    var mark = document.getElementById("stale-mark");
    if (mark) { mark.classList.toggle("show", !!payload.stale); }
    document.body.setAttribute("data-version", String(payload.version));
    document.body.setAttribute("data-updated-ms", String(Date.now()));
    if (window.htmx) { htmx.process(document.body); }
    drawCharts();
  }

  function connect() {
    var source = new EventSource(stream);
    source.addEventListener("update", function (event) { apply(JSON.parse(event.data)); });
    source.onerror = function () {
      var mark = document.getElementById("stale-mark");
      if (mark) { mark.classList.add("show"); }
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    if (stream) { connect(); }
  });
})();
