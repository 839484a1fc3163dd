// Grouped bar charts drawn as SVG elements; labels are set as text.

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, value);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/**
 * Draws into `target` (an svg with a 300×140 viewBox, keeping its <title>) one group of bars per
 * label, one bar per series; `format` writes a value; `max` is the top of the scale (else the largest value).
 */
export function barChart(target, labels, series, format, max) {
  for (const node of [...target.children]) {
    if (node.tagName !== 'title') {
      node.remove();
    }
  }
  const top = max || Math.max(1, ...series.flatMap(s => s.values));
  const width = 300;
  const height = 140;
  const base = height - 20;
  const group = width / labels.length;
  const bar = (group - 20) / series.length;
  labels.forEach((label, i) => {
    target.append(svg('text', { x: i * group + group / 2, y: height - 5, 'text-anchor': 'middle', class: 'chart-label' }, label));
    series.forEach((s, j) => {
      const value = s.values[i];
      const h = Math.max(1, (value / top) * (base - 30)); // room above for the value and the legend
      const x = i * group + 10 + j * bar;
      target.append(svg('rect', { x, y: base - h, width: bar - 2, height: h, class: 'bar bar-' + j }));
      target.append(svg('text', { x: x + bar / 2 - 1, y: base - h - 3, 'text-anchor': 'middle', class: 'chart-value' },
          format(value)));
    });
  });
  if (series.length > 1) {
    series.forEach((s, j) => {
      target.append(svg('rect', { x: 10 + j * 50, y: 2, width: 8, height: 8, class: 'bar bar-' + j }));
      target.append(svg('text', { x: 22 + j * 50, y: 10, class: 'chart-label' }, s.name));
    });
  }
}
