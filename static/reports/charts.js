/*
 * Charts of the statistics page (accountability/reports), drawn with Apache ECharts from the
 * project's own static files. The figures come from the page's JSON data block
 * (<script type="application/json" id="report-charts">, Django's json_script); each chart is
 * drawn into the element whose data-chart names its table. No request leaves the site, no
 * inline script or style is needed (Content-Security-Policy), and the tooltip is drawn on the
 * canvas (renderMode "richText"), not as HTML. The table beside each chart holds every figure:
 * the chart is a picture of it, with an aria-label that says what it shows.
 */
(function () {
  "use strict";

  var PALETTE = ["#c8161d", "#1d5fbf", "#d48806", "#1f8a4c", "#6b4ea2", "#8c8c8c", "#13a8a8"];

  function readData() {
    var node = document.getElementById("report-charts");
    if (!node) {
      return [];
    }
    try {
      return JSON.parse(node.textContent).charts || [];
    } catch (error) {
      return [];
    }
  }

  function axisOption(spec, horizontal) {
    var category = {
      type: "category",
      data: spec.categories,
      axisLabel: { interval: 0, width: horizontal ? 180 : 80, overflow: "truncate" },
      inverse: horizontal
    };
    var value = { type: "value", minInterval: 1 };
    var series = spec.series.map(function (s) {
      return {
        type: spec.kind === "line" ? "line" : "bar",
        name: s.name,
        data: s.data,
        stack: spec.stack ? "total" : undefined,
        barMaxWidth: 28
      };
    });
    return {
      color: PALETTE,
      animation: false,
      grid: { left: 8, right: 24, top: spec.series.length > 1 ? 36 : 16, bottom: 8, containLabel: true },
      legend: spec.series.length > 1 ? { top: 0, type: "scroll" } : undefined,
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: series
    };
  }

  function pieOption(spec) {
    var first = spec.series[0] || { name: "", data: [] };
    return {
      color: PALETTE,
      animation: false,
      legend: { bottom: 0, type: "scroll" },
      tooltip: { trigger: "item", renderMode: "richText" },
      series: [
        {
          type: "pie",
          name: first.name,
          radius: ["35%", "65%"],
          center: ["50%", "45%"],
          data: spec.categories.map(function (name, i) {
            return { name: name, value: first.data[i] || 0 };
          })
        }
      ]
    };
  }

  function optionFor(spec) {
    if (spec.kind === "pie") {
      return pieOption(spec);
    }
    return axisOption(spec, spec.kind === "hbar");
  }

  function heightFor(spec) {
    if (spec.kind === "hbar") {
      return Math.max(240, spec.categories.length * 30 + 60);
    }
    return 300;
  }

  function draw() {
    if (typeof window.echarts === "undefined") {
      return;
    }
    var charts = [];
    readData().forEach(function (spec) {
      var element = document.querySelector('[data-chart="' + spec.id + '"]');
      if (!element) {
        return;
      }
      element.style.height = heightFor(spec) + "px";
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(optionFor(spec));
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
