// 领导驾驶舱 charts. The figures come from the page (json_script), never from a second request,
// so the charts and their fallback tables always agree. Clicking a segment opens its task list.
(function () {
  "use strict";
  var COLORS = { red: "#c62828", yellow: "#e0a100", green: "#2e7d32", done: "#607d8b", none: "#b0bec5", overdue: "#6a1b9a" };

  function go(url) { if (url) { window.location.href = url; } }

  function read() {
    var node = document.getElementById("dashboard-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function label(el, zh) { return el.getAttribute("data-label-" + zh) || zh; }

  var builders = {
    health: function (data) {
      var rows = data.health.filter(function (r) { return r.count > 0; });
      return {
        option: {
          tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
          legend: { bottom: 0 },
          series: [{
            type: "pie", radius: ["40%", "70%"], center: ["50%", "45%"],
            label: { formatter: "{b}\n{c}" },
            data: rows.map(function (r) { return { name: r.label, value: r.count, url: r.url, itemStyle: { color: COLORS[r.level] } }; })
          }]
        },
        url: function (p) { return p.data && p.data.url; }
      };
    },
    trend: function (data) {
      var names = { red: "红灯", yellow: "黄灯", green: "绿灯", overdue: "逾期" };
      var series = ["red", "yellow", "green", "overdue"].map(function (k) {
        return { name: names[k], type: "line", smooth: true, symbolSize: 6, itemStyle: { color: COLORS[k] },
          data: data.trend.map(function (p) { return p[k]; }), level: k };
      });
      return {
        option: {
          tooltip: { trigger: "axis" }, legend: { bottom: 0 },
          grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
          xAxis: { type: "category", data: data.trend.map(function (p) { return p.date.slice(5); }) },
          yAxis: { type: "value", minInterval: 1 },
          series: series
        },
        url: function (p) { var s = series[p.seriesIndex]; return s && data.links[s.level]; }
      };
    },
    directives: function (data) {
      var rows = data.directives.slice().reverse();
      return {
        option: {
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { bottom: 0 },
          grid: { left: 8, right: 24, top: 8, bottom: 40, containLabel: true },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", data: rows.map(function (r) { return r.title.length > 16 ? r.title.slice(0, 16) + "…" : r.title; }) },
          series: [
            { name: "已销号", type: "bar", stack: "t", itemStyle: { color: COLORS.done }, data: rows.map(function (r) { return r.done; }) },
            { name: "未销号", type: "bar", stack: "t", itemStyle: { color: "#90caf9" }, data: rows.map(function (r) { return r.total - r.done; }) },
            { name: "红灯", type: "bar", itemStyle: { color: COLORS.red }, data: rows.map(function (r) { return r.red; }) }
          ]
        },
        url: function (p) { var r = rows[p.dataIndex]; return r && r.url; },
        height: Math.max(220, rows.length * 34 + 80)
      };
    },
    units: function (data) {
      var rows = data.scoreboard.rows.slice(0, 20);
      var series = [{ name: "得分", type: "bar", itemStyle: { color: "#1565c0" }, data: rows.map(function (r) { return r.score; }) }];
      return {
        option: {
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { bottom: 0 },
          grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
          xAxis: { type: "category", data: rows.map(function (r) { return r.unit; }), axisLabel: { interval: 0, rotate: rows.length > 6 ? 40 : 0 } },
          yAxis: { type: "value" },
          series: series
        },
        url: function (p) { var r = rows[p.dataIndex]; return r && r.url; }
      };
    },
    tiers: function (data, el) {
      var set = data.indicators.sets[Number(el.getAttribute("data-index") || 0)];
      var palette = ["#2e7d32", "#7cb342", "#e0a100", "#ef6c00", "#c62828", "#8e24aa", "#b0bec5"];
      return {
        option: {
          tooltip: { trigger: "item", formatter: "{b}：{c}项" },
          legend: { bottom: 0 },
          series: [{
            type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], label: { formatter: "{b}\n{c}" },
            data: set.tiers.filter(function (t) { return t.count > 0; }).map(function (t, i) {
              return { name: t.label, value: t.count, url: t.url, itemStyle: { color: palette[Math.min(i, palette.length - 1)] } };
            })
          }]
        },
        url: function (p) { return p.data && p.data.url; }
      };
    }
  };

  function draw() {
    var data = read();
    if (!data || typeof window.echarts === "undefined") { return; }
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var build = builders[el.getAttribute("data-chart")];
      if (!build) { return; }
      var spec = build(data, el);
      if (spec.height) { el.style.height = spec.height + "px"; }
      var card = el.closest(".chart-card");
      if (card) { card.classList.add("has-chart"); }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(spec.option);
      chart.on("click", function (params) { go(spec.url(params)); });
      el.setAttribute("data-rendered", "1");
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
