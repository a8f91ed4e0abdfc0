// Charts of the indicator pages. Data come from a <script type="application/json"> element
// (json_script), never from inline code; each chart's numbers are also in the table under it.
(function () {
  "use strict";
  var US_COLOUR = "#c62828", PEER_COLOUR = "#90a4ae", LINE = "#0b57d0";

  function L(d, key) { return (d.labels && d.labels[key]) || key; }
  function rankText(d, n) { return L(d, "rank_n").replace("{n}", n); }
  function fmt(v) { return v === null || v === undefined ? "—" : String(Math.round(v * 100) / 100); }

  var builders = {
    composite: function (d) {
      var data = d.composite;
      return {
        grid: { left: 60, right: 20, top: 20, bottom: 70 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.entities, axisLabel: { rotate: 45, interval: 0 } },
        yAxis: { type: "value", name: L(d, "composite"), max: 100 },
        series: [{ type: "bar", data: data.entities.map(function (e, i) {
          return { value: data.scores[i], itemStyle: { color: e === data.us ? US_COLOUR : PEER_COLOUR } };
        }) }]
      };
    },
    tiers: function (d) {
      var data = d.tiers;
      return {
        grid: { left: 50, right: 20, top: 20, bottom: 30 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.labels },
        yAxis: { type: "value", name: L(d, "count"), minInterval: 1 },
        series: [{ type: "bar", data: data.counts.map(function (c, i) {
          var colours = ["#2e7d32", "#e0a100", "#c62828", "#8e2424", "#5d1a1a"];
          var last = i === data.counts.length - 1;
          return { value: c, itemStyle: { color: last ? "#b0bec5" : colours[Math.min(i, colours.length - 1)] } };
        }), label: { show: true, position: "top" } }]
      };
    },
    heatmap: function (d) {
      return {
        grid: { left: 170, right: 30, top: 10, bottom: 80 },
        tooltip: { formatter: function (p) { return d.indicators[p.value[1]] + " · " + d.periods[p.value[0]] + "：" + rankText(d, p.value[2]); } },
        xAxis: { type: "category", data: d.periods, splitArea: { show: true } },
        yAxis: { type: "category", data: d.indicators, inverse: true, axisLabel: { width: 150, overflow: "truncate" } },
        visualMap: { min: 1, max: d.max, calculable: true, orient: "horizontal", left: "center", bottom: 10,
          inRange: { color: ["#1b5e20", "#a5d6a7", "#fff59d", "#ef9a9a", "#b71c1c"] }, text: [rankText(d, d.max), rankText(d, 1)] },
        series: [{ type: "heatmap", data: d.data, label: { show: true } }]
      };
    },
    trend: function (d) {
      return {
        // The legend sits below the plot: at the top it would cover the two axis names.
        grid: { left: 16, right: 16, top: 44, bottom: 36, containLabel: true },
        tooltip: { trigger: "axis" },
        legend: { data: [L(d, "rank"), L(d, "score")], bottom: 0 },
        xAxis: { type: "category", data: d.periods },
        yAxis: [
          { type: "value", name: L(d, "rank"), inverse: true, min: 1, max: d.max, minInterval: 1 },
          { type: "value", name: L(d, "score"), min: 0, max: 100 }
        ],
        series: [
          { name: L(d, "rank"), type: "line", data: d.ranks, connectNulls: false, label: { show: true }, itemStyle: { color: US_COLOUR },
            markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#2e7d32" }, data: [{ yAxis: d.tier_size + 0.5 }], label: { formatter: L(d, "first_tier") } } },
          { name: L(d, "score"), type: "bar", yAxisIndex: 1, data: d.scores, itemStyle: { color: "#b0bec5" } }
        ]
      };
    },
    bar: function (d) {
      var data = d.bar;
      var opt = {
        grid: { left: 16, right: 30, top: 40, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v) + " " + (data.unit || ""); } },
        xAxis: { type: "category", data: data.entities, axisLabel: { rotate: 45, interval: 0 } },
        // The name starts at the axis: centred on it, a long one runs off the chart's left edge.
        yAxis: { type: "value", name: (data.unit || "") + L(d, data.direction === "lower" ? "lower" : "higher"), nameTextStyle: { align: "left" } },
        series: [{ type: "bar", data: data.entities.map(function (e, i) {
          return { value: data.values[i], itemStyle: { color: e === data.us ? US_COLOUR : PEER_COLOUR } };
        }) }]
      };
      if (data.required !== undefined && data.required !== null) {
        opt.series[0].markLine = { symbol: "none", lineStyle: { color: "#2e7d32", type: "dashed" },
          label: { formatter: L(d, "target") + " " + fmt(data.required) }, data: [{ yAxis: data.required }] };
      }
      return opt;
    },
    history: function (d) {
      var h = d.history;
      return {
        grid: { left: 16, right: 20, top: 40, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: h.periods },
        yAxis: { type: "value", name: L(d, "rank"), nameTextStyle: { align: "left" }, inverse: true, min: 1, max: h.max, minInterval: 1 },
        series: [{ type: "line", data: h.ranks, label: { show: true }, itemStyle: { color: US_COLOUR } }]
      };
    }
  };

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    var build = builders[el.getAttribute("data-chart")];
    if (!source || !build || !window.echarts) { return; }
    var chart = window.echarts.init(el);
    chart.setOption(build(JSON.parse(source.textContent)));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
    // A period or indicator picked from a list shows at once (the button stays for no-JS use).
    Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (s) {
      s.addEventListener("change", function () { s.form.submit(); });
    });
  });
})();
