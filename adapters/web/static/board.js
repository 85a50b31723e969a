/* Draws the board's charts from the JSON the server embeds in #board-data (no inline script: the CSP forbids it). */
(function () {
  "use strict";
  var source = document.getElementById("board-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#1f5fbf", "#c0392b", "#e1a100", "#2e8b57", "#7d4cdb", "#5b6578", "#d35400", "#16a085"];
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new Chart(canvas, config);
    canvas.setAttribute("data-drawn", "true");
  }

  draw("flow", {
    type: "bar",
    data: {
      labels: data.days,
      datasets: [
        { label: "opened", data: data.opened, backgroundColor: palette[0] },
        { label: "closed", data: data.closed, backgroundColor: palette[3] }
      ]
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  draw("verdicts", {
    type: "doughnut",
    data: {
      labels: Object.keys(data.verdicts),
      datasets: [{ data: Object.values(data.verdicts), backgroundColor: palette }]
    },
    options: { plugins: { legend: { position: "right" } } }
  });
  draw("load", {
    type: "bar",
    data: {
      labels: Object.keys(data.load),
      datasets: [{ label: "open claims", data: Object.values(data.load), backgroundColor: palette[2] }]
    },
    options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
}());
