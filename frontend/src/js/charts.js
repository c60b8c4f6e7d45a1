// Draws every chart on the page from its JSON data island (no inline script, so the
// Content Security Policy holds). The same figures are always in a table beside it.
//
// The island: {labels, datasets: [{type, label, data, axis, colour}], yTitle, yMax,
// ySuffix, y2Title, y2Max}. A null in data is a gap (nothing to show that month).
(function () {
  "use strict";
  function suffixed(suffix) {
    return function (value) { return value + (suffix || ""); };
  }
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
    var scales = {
      y: {
        beginAtZero: true,
        max: spec.yMax || undefined,
        ticks: { callback: suffixed(spec.ySuffix) },
        title: { display: !!spec.yTitle, text: spec.yTitle },
      },
    };
    if (spec.y2Title) {
      scales.y2 = { position: "right", beginAtZero: true, max: spec.y2Max || undefined,
        ticks: { precision: 0 },
        grid: { drawOnChartArea: false }, title: { display: true, text: spec.y2Title } };
    }
    new Chart(canvas, {
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, scales: scales,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var suffix = (item.dataset.yAxisID || "y") === "y" ? (spec.ySuffix || "") : "";
                return item.dataset.label + ": " + item.formattedValue + suffix;
              },
            },
          },
        },
      },
    });
  }
  document.querySelectorAll("canvas[data-chart-source]").forEach(draw);
})();
