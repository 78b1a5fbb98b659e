/* The measure page's control chart: reads its data from the json_script element and draws it with
   Chart.js (static/vendor/chart.js/chart.umd.min.js). The same data is in the table below the chart. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("kpi-chart-data");
    var canvas = document.getElementById("kpi-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") { return; }
    var d = JSON.parse(source.textContent);
    var special = d.special || [];
    var datasets = [
      { label: d.title, data: d.values, borderColor: "#0b0c0c", backgroundColor: "#0b0c0c", tension: 0,
        pointStyle: special.map(function (s) { return s ? "triangle" : "circle"; }),
        pointRadius: special.map(function (s) { return s ? 7 : 3; }),
        pointBackgroundColor: special.map(function (s) { return s ? "#f47738" : "#0b0c0c"; }) }
    ];
    if (d.mean.length) {
      datasets.push({ label: "Mean", data: d.mean, borderColor: "#505a5f", borderDash: [], pointRadius: 0, borderWidth: 1 });
      datasets.push({ label: "Upper process limit", data: d.upper, borderColor: "#505a5f", borderDash: [6, 4], pointRadius: 0, borderWidth: 1 });
      datasets.push({ label: "Lower process limit", data: d.lower, borderColor: "#505a5f", borderDash: [6, 4], pointRadius: 0, borderWidth: 1 });
    }
    if (d.target.some(function (t) { return t !== null; })) {
      datasets.push({ label: "Target", data: d.target, borderColor: "#00703c", borderDash: [2, 2], pointRadius: 0, borderWidth: 2, spanGaps: false });
    }
    new window.Chart(canvas, {
      type: "line",
      data: { labels: d.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { afterLabel: function (ctx) { return ctx.datasetIndex === 0 && d.reasons[ctx.dataIndex] ? "Special cause: " + d.reasons[ctx.dataIndex] : ""; } } }
        },
        scales: { y: { title: { display: true, text: d.unit } } }
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
