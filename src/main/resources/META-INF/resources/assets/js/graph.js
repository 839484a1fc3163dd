// A workflow's graph as SVG: dagre (loaded by the page before this module, as window.dagre) lays
// the nodes out in layers, left to right; each node and edge is drawn once and then updated in
// place, so a run's page changes its states without losing the reader's focus or scroll.

const SVG = 'http://www.w3.org/2000/svg';
const NODE_WIDTH = 190;
const NODE_HEIGHT = 62;
const LABEL_WIDTH = 170;
const LABEL_LINE = 15;

/** An SVG element; text is always set as text. */
function shape(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined) {
      node.setAttribute(name, String(value));
    }
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** The text cut to `most` characters (the whole of it stays in the tables beside the graph). */
export function clip(text, most) {
  const value = String(text ?? '');
  return value.length > most ? value.slice(0, most - 1) + '…' : value;
}

/** A class name part from a state the API gave (unknown states get the plain look, and their text). */
function token(state) {
  return String(state ?? '').toLowerCase().replace(/[^a-z]/g, '');
}

/** What an edge says: its trigger, its condition if any. */
export function trigger(edge) {
  return (edge.on || 'success') + (edge.when ? ' if ' + clip(edge.when, 24) : '');
}

export class WorkflowGraph {
  /**
   * `nodes` and `edges` as the API gives them (a workflow's definition or a run); `text` says what
   * the lines under a node's id and under an edge's trigger show, and where a node links to:
   * {node(n) → string, edge(e) → string, href(n) → address or null}.
   */
  constructor(svg, nodes, edges, text) {
    this.svg = svg;
    this.text = text;
    const graph = new window.dagre.graphlib.Graph({ multigraph: false });
    graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 70, edgesep: 16, marginx: 8, marginy: 8 });
    graph.setDefaultEdgeLabel(() => ({}));
    for (const node of nodes) {
      graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
    }
    for (const edge of edges) {
      graph.setEdge(edge.from, edge.to, { width: LABEL_WIDTH, height: 2 * LABEL_LINE, labelpos: 'l', labeloffset: 4 });
    }
    window.dagre.layout(graph);
    const size = graph.graph();
    svg.setAttribute('viewBox', '0 0 ' + Math.ceil(size.width) + ' ' + Math.ceil(size.height));
    svg.setAttribute('width', Math.ceil(size.width));
    svg.setAttribute('height', Math.ceil(size.height));
    const marker = shape('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7,
      markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(shape('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }));
    const defs = shape('defs');
    defs.append(marker);
    svg.replaceChildren(defs);

    this.edges = new Map();
    for (const edge of edges) {
      const laid = graph.edge(edge.from, edge.to);
      const path = 'M' + laid.points.map(p => p.x + ',' + p.y).join(' L');
      const group = shape('g', { 'data-from': edge.from, 'data-to': edge.to });
      const outcome = shape('text', { x: laid.x, y: laid.y + LABEL_LINE - 4, class: 'edge-outcome', 'text-anchor': 'middle' });
      group.append(shape('path', { d: path, class: 'edge-line', 'marker-end': 'url(#arrow)' }),
          shape('text', { x: laid.x, y: laid.y - 4, class: 'edge-trigger', 'text-anchor': 'middle' }, trigger(edge)), outcome);
      svg.append(group);
      this.edges.set(edge.from + '\u0000' + edge.to, { group, outcome });
    }

    this.nodes = new Map();
    for (const node of nodes) {
      const laid = graph.node(node.id);
      const link = shape('a', {});
      const caption = shape('text', { x: 10, y: 52, class: 'node-state' });
      link.append(shape('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 6, class: 'node-box' }),
          shape('text', { x: 10, y: 19, class: 'node-id' }, clip(node.id, 24)),
          shape('text', { x: 10, y: 35, class: 'node-template' }, clip(node.template || node.type || '', 26)),
          caption);
      const group = shape('g', { 'data-node': node.id,
        transform: 'translate(' + (laid.x - NODE_WIDTH / 2) + ',' + (laid.y - NODE_HEIGHT / 2) + ')' });
      group.append(link);
      svg.append(group);
      this.nodes.set(node.id, { group, link, caption });
    }
    this.update(nodes, edges);
  }

  /** Shows the nodes' and edges' states as they are now: the same ids as when it was drawn. */
  update(nodes, edges) {
    for (const node of nodes) {
      const drawn = this.nodes.get(node.id);
      if (!drawn) {
        continue;
      }
      const caption = this.text.node(node);
      drawn.caption.textContent = clip(caption, 26);
      drawn.group.setAttribute('class', 'node node-' + token(node.status));
      const href = this.text.href(node);
      if (href) {
        drawn.link.setAttribute('href', href);
        drawn.link.setAttribute('aria-label', node.id + ': ' + caption + ', its job');
      } else {
        drawn.link.removeAttribute('href');
        drawn.link.removeAttribute('aria-label');
      }
    }
    for (const edge of edges) {
      const drawn = this.edges.get(edge.from + '\u0000' + edge.to);
      if (drawn) {
        drawn.group.setAttribute('class', 'edge edge-' + token(edge.state));
        drawn.outcome.textContent = clip(this.text.edge(edge), 28);
      }
    }
  }
}
