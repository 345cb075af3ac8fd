// Draws the Plotly charts whose data the server put in data-figure attributes.
(function () {
  if (!window.Plotly) { return; }
  document.querySelectorAll(".plot[data-figure]").forEach(function (el) {
    var fig = JSON.parse(el.getAttribute("data-figure"));
    var traces = fig.traces.map(function (t) {
      return {type: "scatter", mode: "lines+markers", name: t.name, x: t.x, y: t.y};
    });
    Plotly.newPlot(el, traces, {
      title: {text: fig.title}, separators: fig.separators,
      margin: {l: 80, r: 20, t: 40, b: 40}, yaxis: {rangemode: "tozero"},
      legend: {orientation: "h"}
    }, {displaylogo: false, responsive: true});
  });
})();
