// Draws every chart on the page from its JSON data island (no inline script, so the
// Content Security Policy holds). The same figures are always in a table beside it.
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chartSource);
    if (!source || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (d) {
      return {
        type: d.type || "bar",
        label: d.label,
        data: d.data,
        yAxisID: d.axis || "y",
        backgroundColor: d.colour,
        borderColor: d.colour,
        borderWidth: d.type === "line" ? 3 : 0,
        pointRadius: d.type === "line" ? 4 : 0,
        order: d.type === "line" ? 0 : 1,
      };
    });
    var scales = { y: { beginAtZero: true, title: { display: !!spec.yTitle, text: spec.yTitle } } };
    if (spec.y2Title) {
      scales.y2 = { position: "right", beginAtZero: true, max: spec.y2Max || undefined,
        grid: { drawOnChartArea: false }, title: { display: true, text: spec.y2Title } };
    }
    new Chart(canvas, {
      data: { labels: spec.labels, datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: scales,
        plugins: { legend: { position: "bottom" } } },
    });
  }
  document.querySelectorAll("canvas[data-chart-source]").forEach(draw);
})();
