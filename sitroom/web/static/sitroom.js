/* sitroom: the situation room page (plain ES2020, no build step).
 *
 * The server renders the filter form and the first page of events; this script keeps the page in
 * step with the form: the event list is swapped in by htmx from /partials/events, the URL follows
 * every change (the server's canonical query, from the list's data-query), and the map, the
 * timeline and the actor network are drawn from the JSON API.
 *
 * Article text is attacker-controlled: the DOM is built with createElement/textContent only,
 * Leaflet popups and tooltips get DOM nodes, Cytoscape draws labels on a canvas.
 */
(() => {
  'use strict';

  const TYPES = ['AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'REQUEST',
    'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT'];
  const API = '/api/v1';
  const MAP_LIMIT = 500;
  const NETWORK_EVENTS = 300;
  const NETWORK_NODES = 40;

  const $ = (selector, root = document) => root.querySelector(selector);
  const rootStyle = getComputedStyle(document.documentElement);
  const cssVar = (name, fallback) => rootStyle.getPropertyValue(name).trim() || fallback;
  const typeColor = (type) => cssVar('--type-' + type, '#8b98a6');

  /** An element with classes, text and children (strings become text nodes). */
  function h(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key === 'href') node.setAttribute('href', value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  const form = $('#filters');
  if (!form) return; // not the situation room

  // ------------------------------------------------------------------ state and the URL

  const state = { listSeq: 0, vizSeq: 0, applied: null, vizQuery: null };

  /** The form's non-empty fields as query parameters (page left out: a new filter starts at 1). */
  function formParams() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      const text = String(value).trim();
      if (text !== '') params.set(name, text);
    }
    if (params.get('sort') === 'when') params.delete('sort');
    return params;
  }

  /** Put the URL's filters into the form (after back/forward). */
  function setForm(params) {
    for (const field of form.elements) {
      if (!field.name) continue;
      const value = params.get(field.name);
      if (field.tagName === 'SELECT') {
        field.value = value && [...field.options].some((o) => o.value === value) ? value : field.options[0].value;
        if (field.name === 'sort' && !value) field.value = 'when';
      } else {
        field.value = value || '';
      }
    }
  }

  /** The API's filters from a page query: no page, no sort, minus ``drop``. */
  function apiParams(query, drop = []) {
    const params = new URLSearchParams(query);
    for (const name of ['page', 'sort', ...drop]) params.delete(name);
    return params;
  }

  function withQuery(path, params) {
    const text = params.toString();
    return text ? path + '?' + text : path;
  }

  async function getJSON(path, params) {
    const response = await fetch(withQuery(path, params), { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  /** Load the event list for ``query``; then the URL, the exports and (unless ``listOnly``) the views. */
  async function load(query, { history: mode = 'push', listOnly = false } = {}) {
    const seq = ++state.listSeq;
    state.applied = query;
    const list = $('#event-list');
    if (list) list.classList.add('htmx-request');
    try {
      await htmx.ajax('GET', withQuery('/partials/events', new URLSearchParams(query)), { target: '#event-list', swap: 'outerHTML' });
    } catch (err) {
      console.warn('sitroom: the event list did not load', err);
      return;
    }
    if (seq !== state.listSeq) return;
    const fresh = $('#event-list');
    const canonical = fresh ? fresh.dataset.query || '' : query;
    const url = canonical ? '/?' + canonical : '/';
    if (mode === 'push' && url !== location.pathname + location.search) history.pushState({ sitroom: true }, '', url);
    else if (mode === 'replace') history.replaceState({ sitroom: true }, '', url);
    updateExports(canonical);
    if (!listOnly) refreshViews(canonical);
  }

  function apply(mode = 'push') {
    const query = formParams().toString();
    if (query === state.applied) return;
    load(query, { history: mode });
  }

  function setFilter(name, value) {
    const field = form.elements.namedItem(name);
    if (!field) return;
    field.value = value;
    apply('push');
  }

  function updateExports(query) {
    const box = $('#exports');
    if (!box) return;
    const params = apiParams(query);
    for (const link of box.querySelectorAll('a[data-format]')) {
      link.setAttribute('href', withQuery(box.dataset.base + link.dataset.format, params));
    }
  }

  let typing = null;
  form.addEventListener('input', (event) => {
    if (event.target.type !== 'search' && event.target.type !== 'text') return;
    clearTimeout(typing);
    typing = setTimeout(() => apply('replace'), 400);
  });
  form.addEventListener('change', () => { clearTimeout(typing); apply('push'); });
  form.addEventListener('submit', (event) => { event.preventDefault(); clearTimeout(typing); apply('push'); });
  const reset = $('a.reset', form);
  if (reset) reset.addEventListener('click', (event) => { event.preventDefault(); setForm(new URLSearchParams()); apply('push'); });

  document.addEventListener('click', (event) => {
    const link = event.target.closest('#event-list a[data-page]');
    if (!link) return;
    event.preventDefault();
    const params = new URLSearchParams(($('#event-list') || {}).dataset?.query || '');
    params.set('page', link.dataset.page);
    load(params.toString(), { history: 'push', listOnly: true }).then(() => { const top = $('.list'); if (top) top.scrollTop = 0; });
  });

  window.addEventListener('popstate', () => {
    const params = new URLSearchParams(location.search);
    setForm(params);
    load(params.toString(), { history: 'none' });
  });

  // ------------------------------------------------------------------ legend

  function updateLegend(byType) {
    const list = $('#type-legend');
    if (!list) return;
    list.replaceChildren(...TYPES.map((type) => {
      const n = (byType || {})[type] || 0;
      const item = h('li', { class: n ? 'type-' + type : 'none type-' + type, title: 'filter by ' + type },
        h('span', { class: 'swatch' }), type, h('span', { class: 'n', text: String(n) }));
      item.addEventListener('click', () => setFilter('type', form.elements.namedItem('type').value === type ? '' : type));
      return item;
    }));
  }

  // ------------------------------------------------------------------ map

  const EventMap = {
    init() {
      this.node = $('#map');
      this.note = $('#map-note');
      this.counts = {};
      this.numericToIso = {};
      this.map = L.map(this.node, { worldCopyJump: false, minZoom: 1, maxZoom: 12, zoomSnap: 0.25,
        maxBounds: [[-85, -220], [85, 220]], maxBoundsViscosity: 0.8 }).setView([22, 15], 1.5);
      this.map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
      this.map.attributionControl.addAttribution(
        'Countries: <a href="https://www.naturalearthdata.com/">Natural Earth</a> (public domain) via world-atlas');
      this.points = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 36, chunkedLoading: true });
      this.map.addLayer(this.points);
      this.ready = this.loadCountries();
    },

    async loadCountries() {
      try {
        const [topo, iso] = await Promise.all([
          fetch(this.node.dataset.countries).then((r) => r.json()),
          fetch(this.node.dataset.iso).then((r) => r.json()),
        ]);
        for (const [iso3, numeric] of Object.entries(iso)) this.numericToIso[numeric] = iso3;
        const shapes = topojson.feature(topo, topo.objects.countries);
        // Antarctica is left out (no events, and it smears across a flat map); shapes that cross
        // the antimeridian (Russia's far east, Fiji) are unwrapped eastwards.
        shapes.features = shapes.features.filter((f) => f.id !== '010');
        for (const feature of shapes.features) unwrapAntimeridian(feature.geometry);
        for (const feature of shapes.features) {
          // Natural Earth gives Kosovo (and two unrecognised states) no ISO number
          feature.properties.iso3 = this.numericToIso[feature.id] || (feature.properties.name === 'Kosovo' ? 'XKX' : null);
        }
        this.countries = L.geoJSON(shapes, {
          style: (feature) => this.countryStyle(feature),
          onEachFeature: (feature, layer) => {
            layer.bindTooltip(() => this.countryTip(feature), { sticky: true, className: 'sr-tooltip' });
            layer.on('click', () => { if (feature.properties.iso3) setFilter('country', feature.properties.iso3); });
          },
        }).addTo(this.map);
        this.countries.bringToBack();
        this.node.dataset.countryShapes = String(shapes.features.length);
      } catch (err) {
        console.warn('sitroom: the countries layer did not load', err);
      }
    },

    countryTip(feature) {
      const n = this.counts[feature.properties.iso3] || 0;
      return h('div', {}, h('strong', { text: feature.properties.name }),
        ` ${feature.properties.iso3 || ''}: ${n} event${n === 1 ? '' : 's'}`);
    },

    countryStyle(feature) {
      const n = this.counts[feature.properties.iso3] || 0;
      const t = n && this.max ? Math.log1p(n) / Math.log1p(this.max) : 0;
      return { weight: 0.6, color: cssVar('--country-line', '#3b4856'), fillOpacity: 1,
        fillColor: n ? mix(cssVar('--country-0', '#26313c'), cssVar('--country-max', '#f0b429'), 0.25 + 0.75 * t) : cssVar('--country-0', '#26313c') };
    },

    async setCounts(byCountry) {
      await this.ready;
      this.counts = byCountry || {};
      this.max = Math.max(0, ...Object.values(this.counts));
      if (this.countries) this.countries.setStyle((feature) => this.countryStyle(feature));
      this.node.dataset.shaded = String(Object.keys(this.counts).length);
    },

    setPoints(collection, total) {
      this.points.clearLayers();
      const markers = [];
      for (const feature of (collection && collection.features) || []) {
        const coords = feature.geometry && feature.geometry.coordinates;
        if (!coords || coords.length < 2) continue;
        const p = feature.properties || {};
        const marker = L.circleMarker([coords[1], coords[0]], {
          radius: 6, weight: 1, color: '#0b0f14', fillColor: typeColor(p.type), fillOpacity: 0.9,
          className: 'sr-point sr-type-' + String(p.type || '').replace(/[^A-Z]/g, ''),
        });
        marker.bindPopup(() => this.popup(p, feature.id), { maxWidth: 300 });
        markers.push(marker);
      }
      this.points.addLayers(markers);
      this.node.dataset.points = String(markers.length);
      if (this.note) {
        const shown = markers.length;
        this.note.textContent = `${shown} event${shown === 1 ? '' : 's'} placed` +
          (typeof total === 'number' && total > shown ? ` of ${total}` : '');
      }
      if (markers.length) {
        const bounds = L.latLngBounds(markers.map((m) => m.getLatLng()));
        this.map.fitBounds(bounds.pad(0.3), { maxZoom: 5, animate: false });
      }
    },

    popup(p, featureId) {
      const id = p.id ?? featureId;
      const when = p.date_from ? (p.date_to && p.date_to !== p.date_from ? `${p.date_from} – ${p.date_to}` : p.date_from) : 'date unknown';
      const who = (p.sources || []).join('; ') + ((p.targets || []).length ? ' → ' + p.targets.join('; ') : '');
      return h('div', { class: 'sr-popup' },
        h('div', { class: 'ev-head' },
          h('span', { class: 'badge type type-' + String(p.type || '').replace(/[^A-Z]/g, ''), text: p.type || '?' }),
          h('span', { class: 'badge modality modality-' + String(p.modality || '').replace(/[^a-z]/g, ''), text: p.modality || '' }),
          h('span', { text: when })),
        who ? h('div', { text: who }) : null,
        h('div', { text: [p.place, p.country].filter(Boolean).join(', ') }),
        p.evidence ? h('blockquote', { text: p.evidence }) : null,
        h('div', {}, `${p.n_sources ?? '?'} source${p.n_sources === 1 ? '' : 's'} · `,
          h('a', { href: '/events/' + encodeURIComponent(String(id)), text: 'open the event' })));
    },
  };

  /** Shift the western half of rings that jump across 180° by +360°, so they draw as one piece. */
  function unwrapAntimeridian(geometry) {
    if (!geometry) return;
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        let jumps = false;
        for (let i = 1; i < ring.length; i++) if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) jumps = true;
        if (jumps) for (const point of ring) if (point[0] < 0) point[0] += 360;
      }
    }
  }

  function mix(a, b, t) {
    const parse = (hex) => { const x = hex.replace('#', ''); return [0, 2, 4].map((i) => parseInt(x.slice(i, i + 2), 16)); };
    const [ca, cb] = [parse(a), parse(b)];
    return '#' + ca.map((v, i) => Math.round(v + (cb[i] - v) * t).toString(16).padStart(2, '0')).join('');
  }

  // ------------------------------------------------------------------ timeline

  const DAY_MS = 86400000;
  const dayNumber = (day) => Math.floor(Date.parse(day + 'T00:00:00Z') / DAY_MS);
  const dayText = (n) => new Date(n * DAY_MS).toISOString().slice(0, 10);

  const Timeline = {
    init() {
      this.canvas = $('#timeline');
      this.ctx = this.canvas.getContext('2d');
      this.bins = [];
      this.drag = null;
      this.pad = { left: 34, right: 8, top: 6, bottom: 18 };
      new ResizeObserver(() => this.draw()).observe(this.canvas);
      this.canvas.addEventListener('pointerdown', (e) => this.down(e));
      this.canvas.addEventListener('pointermove', (e) => this.move(e));
      this.canvas.addEventListener('pointerup', (e) => this.up(e));
      this.canvas.addEventListener('pointercancel', () => { this.drag = null; this.draw(); });
      const clear = $('#timeline-clear');
      if (clear) clear.addEventListener('click', () => this.select('', ''));
    },

    setData(byDay) {
      const rows = (byDay || []).filter((r) => r.day);
      this.bins = [];
      this.total = rows.reduce((sum, r) => sum + (r.n || 0), 0);
      this.outside = 0;
      if (rows.length) {
        const allDays = rows.map((r) => dayNumber(r.day));
        // a few stray dates (a "decade" mention, a far-off plan) would squash the rest: draw the
        // range that holds most events and count the others
        const [first, last] = denseRange(rows, allDays, 0.85);
        const span = last - first + 1;
        const width = span <= 400 ? 1 : span <= 2800 ? 7 : 30; // days per bar
        for (let start = first; start <= last; start += width) {
          this.bins.push({ from: start, to: Math.min(start + width - 1, last), byType: {}, n: 0 });
        }
        rows.forEach((r, i) => {
          if (allDays[i] < first || allDays[i] > last) { this.outside += r.n || 0; return; }
          const bin = this.bins[Math.floor((allDays[i] - first) / width)];
          bin.byType[r.type] = (bin.byType[r.type] || 0) + r.n;
          bin.n += r.n;
        });
      }
      this.canvas.dataset.outside = String(this.outside);
      const note = $('#timeline-note');
      if (note) note.textContent = this.outside ? `${this.outside} event${this.outside === 1 ? '' : 's'} outside this range` : '';
      this.canvas.dataset.bars = String(this.bins.length);
      this.canvas.dataset.events = String(this.total);
      this.draw();
    },

    plot() {
      const width = this.canvas.clientWidth;
      const height = this.canvas.clientHeight;
      return { width, height, x0: this.pad.left, x1: width - this.pad.right, y0: this.pad.top, y1: height - this.pad.bottom };
    },

    binAt(clientX) {
      const rect = this.canvas.getBoundingClientRect();
      const p = this.plot();
      if (!this.bins.length) return null;
      const step = (p.x1 - p.x0) / this.bins.length;
      const i = Math.max(0, Math.min(this.bins.length - 1, Math.floor((clientX - rect.left - p.x0) / step)));
      return i;
    },

    down(e) {
      if (!this.bins.length) return;
      this.canvas.setPointerCapture(e.pointerId);
      this.drag = { start: this.binAt(e.clientX), end: this.binAt(e.clientX), x: e.clientX };
      this.draw();
    },
    move(e) {
      if (!this.drag) { this.hover(e); return; }
      this.drag.end = this.binAt(e.clientX);
      this.draw();
    },
    up(e) {
      if (!this.drag) return;
      const { start, x } = this.drag;
      const end = this.binAt(e.clientX);
      this.drag = null;
      const [a, b] = [Math.min(start, end), Math.max(start, end)];
      if (Math.abs(e.clientX - x) < 3 && a === b && this.isSelected(a)) { this.select('', ''); return; }
      this.select(dayText(this.bins[a].from), dayText(this.bins[b].to));
    },
    hover(e) {
      const i = this.binAt(e.clientX);
      if (i === null) return;
      const bin = this.bins[i];
      const label = bin.from === bin.to ? dayText(bin.from) : `${dayText(bin.from)} – ${dayText(bin.to)}`;
      const parts = TYPES.filter((t) => bin.byType[t]).map((t) => `${t} ${bin.byType[t]}`);
      this.canvas.title = `${label}: ${bin.n} event${bin.n === 1 ? '' : 's'}${parts.length ? ' (' + parts.join(', ') + ')' : ''}`;
    },
    isSelected(i) {
      const from = form.elements.namedItem('from').value;
      const to = form.elements.namedItem('to').value;
      return from === dayText(this.bins[i].from) && to === dayText(this.bins[i].to);
    },
    select(from, to) {
      form.elements.namedItem('from').value = from;
      form.elements.namedItem('to').value = to;
      apply('push');
    },

    draw() {
      const dpr = window.devicePixelRatio || 1;
      const p = this.plot();
      if (!p.width || !p.height) return;
      if (this.canvas.width !== Math.round(p.width * dpr) || this.canvas.height !== Math.round(p.height * dpr)) {
        this.canvas.width = Math.round(p.width * dpr);
        this.canvas.height = Math.round(p.height * dpr);
      }
      const ctx = this.ctx;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, p.width, p.height);
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = cssVar('--muted', '#8b98a6');
      if (!this.bins.length) {
        ctx.fillText('no dated events for these filters', p.x0 + 6, (p.y0 + p.y1) / 2);
        return;
      }
      const max = Math.max(1, ...this.bins.map((b) => b.n));
      const step = (p.x1 - p.x0) / this.bins.length;
      const scale = (p.y1 - p.y0) / max;
      // selected range (the form's from/to) and the brush
      const from = form.elements.namedItem('from').value;
      const to = form.elements.namedItem('to').value;
      if ((from || to) && !this.drag) {
        const a = from ? dayNumber(from) : this.bins[0].from;
        const b = to ? dayNumber(to) : this.bins[this.bins.length - 1].to;
        const i = this.bins.findIndex((bin) => bin.to >= a);
        let j = -1;
        this.bins.forEach((bin, k) => { if (bin.from <= b) j = k; });
        if (i >= 0 && j >= i) {
          ctx.fillStyle = 'rgba(90, 169, 230, 0.18)';
          ctx.fillRect(p.x0 + i * step, p.y0, (j - i + 1) * step, p.y1 - p.y0);
        }
      }
      if (this.drag) {
        const [i, j] = [Math.min(this.drag.start, this.drag.end), Math.max(this.drag.start, this.drag.end)];
        ctx.fillStyle = 'rgba(240, 180, 41, 0.25)';
        ctx.fillRect(p.x0 + i * step, p.y0, (j - i + 1) * step, p.y1 - p.y0);
      }
      const gap = step > 4 ? 1 : 0;
      const bar = Math.max(1, Math.min(step - gap, 28));
      this.bins.forEach((bin, i) => {
        let y = p.y1;
        for (const type of TYPES) {
          const n = bin.byType[type];
          if (!n) continue;
          const hgt = n * scale;
          ctx.fillStyle = typeColor(type);
          ctx.fillRect(p.x0 + i * step + (step - bar) / 2, y - hgt, bar, hgt);
          y -= hgt;
        }
      });
      // axes
      ctx.strokeStyle = cssVar('--line', '#2a3541');
      ctx.beginPath();
      ctx.moveTo(p.x0, p.y1 + 0.5);
      ctx.lineTo(p.x1, p.y1 + 0.5);
      ctx.stroke();
      ctx.fillStyle = cssVar('--muted', '#8b98a6');
      ctx.textAlign = 'right';
      ctx.textBaseline = 'top';
      ctx.fillText(String(max), p.x0 - 4, p.y0);
      ctx.textBaseline = 'bottom';
      ctx.fillText('0', p.x0 - 4, p.y1);
      ctx.textBaseline = 'top';
      const labels = Math.max(2, Math.min(8, Math.floor((p.x1 - p.x0) / 90)));
      const every = Math.max(1, Math.ceil(this.bins.length / labels));
      for (let i = 0; i < this.bins.length; i += every) {
        ctx.textAlign = i === 0 ? 'left' : 'center';
        ctx.fillText(dayText(this.bins[i].from), p.x0 + i * step + (i === 0 ? 0 : step / 2), p.y1 + 3);
      }
    },
  };

  /** The day range (day numbers) to draw: every event's, unless a few stray dates (a "decade"
   *  mention, a far-off plan) would squash the rest; then the shortest range holding ``share`` of
   *  the events, padded. */
  function denseRange(rows, days, share) {
    const order = rows.map((r, i) => [days[i], r.n || 0]).sort((a, b) => a[0] - b[0]);
    const total = order.reduce((sum, [, n]) => sum + n, 0);
    const full = [order[0][0], order[order.length - 1][0]];
    if (total < 10) return full;
    let best = full;
    let sum = 0;
    for (let lo = 0, hi = 0; hi < order.length; hi++) {
      sum += order[hi][1];
      while (sum - order[lo][1] >= total * share) sum -= order[lo++][1];
      if (sum >= total * share && order[hi][0] - order[lo][0] < best[1] - best[0]) best = [order[lo][0], order[hi][0]];
    }
    const width = best[1] - best[0];
    if (full[1] - full[0] <= 3 * (width + 14)) return full;
    const pad = Math.max(3, Math.round(width * 0.05));
    return [Math.max(full[0], best[0] - pad), Math.min(full[1], best[1] + pad)];
  }

  // ------------------------------------------------------------------ actor network

  const Network = {
    init() {
      this.node = $('#network');
      this.cy = cytoscape({
        container: this.node,
        elements: [],
        minZoom: 0.2,
        maxZoom: 3,
        style: [
          { selector: 'node', style: {
            'background-color': '#5aa9e6', label: 'data(label)', color: '#dde3ea',
            'text-valign': 'bottom', 'text-margin-y': 3, 'text-outline-color': '#161d25', 'text-outline-width': 2,
            'font-size': 13, 'min-zoomed-font-size': 6,
            width: 'mapData(events, 1, 20, 12, 36)', height: 'mapData(events, 1, 20, 12, 36)',
            'border-width': 1, 'border-color': '#0b0f14' } },
          { selector: 'node[type = "PERSON"]', style: { 'background-color': '#fdae61' } },
          { selector: 'node[type = "GPE"]', style: { 'background-color': '#4cc38a' } },
          { selector: 'node[type = "ORG"]', style: { 'background-color': '#a99cf0' } },
          { selector: 'node.active', style: { 'border-color': '#f0b429', 'border-width': 3 } },
          { selector: 'edge', style: {
            width: 'mapData(events, 1, 10, 1, 5)', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)',
            'target-arrow-shape': 'triangle', 'curve-style': 'bezier', opacity: 0.85, 'arrow-scale': 0.8 } },
          { selector: 'edge.loop', style: { 'curve-style': 'bezier', 'loop-direction': '0deg', 'loop-sweep': '40deg' } },
        ],
      });
      this.cy.on('tap', 'node', (event) => setFilter('actor', event.target.data('name')));
      this.cy.on('mouseover', 'node', (event) => { this.node.title = event.target.data('tip'); });
      this.cy.on('mouseover', 'edge', (event) => { this.node.title = event.target.data('tip'); });
    },

    setData(network) {
      const allEdges = (network && network.edges) || [];
      const degree = new Map();
      for (const e of allEdges) {
        for (const end of [String(e.source), String(e.target)]) degree.set(end, (degree.get(end) || 0) + (e.events || 1));
      }
      // actors in no edge say nothing about relations: the network leaves them out
      const nodes = ((network && network.nodes) || []).filter((n) => degree.has(String(n.id)))
        .sort((a, b) => degree.get(String(b.id)) - degree.get(String(a.id)) || (b.events || 0) - (a.events || 0))
        .slice(0, NETWORK_NODES);
      const keep = new Set(nodes.map((n) => String(n.id)));
      const names = new Map(nodes.map((n) => [String(n.id), n.name]));
      const edges = allEdges.filter((e) => keep.has(String(e.source)) && keep.has(String(e.target)));
      const active = (form.elements.namedItem('actor').value || '').toLowerCase();
      this.cy.elements().remove();
      this.cy.add(nodes.map((n) => ({
        group: 'nodes',
        data: { id: 'a' + n.id, name: n.name, label: n.name.length > 28 ? n.name.slice(0, 27) + '…' : n.name,
          type: n.type || '', events: n.events || 1,
          tip: `${n.name}${n.country ? ' (' + n.country + ')' : ''}: ${n.events || 0} event${n.events === 1 ? '' : 's'}; click to filter` },
        classes: active && n.name.toLowerCase() === active ? 'active' : '',
      })));
      this.cy.add(edges.map((e, i) => ({
        group: 'edges',
        data: { id: 'e' + i, source: 'a' + e.source, target: 'a' + e.target, type: e.type, events: e.events || 1,
          color: typeColor(e.type),
          tip: `${names.get(String(e.source))} → ${names.get(String(e.target))}: ${e.type} × ${e.events || 1}` },
        classes: String(e.source) === String(e.target) ? 'loop' : '',
      })));
      this.cy.resize();
      // laid out inside the panel's own box, so the labels stay readable at the zoom that fits it
      const box = { x1: 0, y1: 0, w: Math.max(200, this.node.clientWidth), h: Math.max(150, this.node.clientHeight) };
      this.cy.layout({ name: nodes.length > 1 ? 'cose' : 'grid', animate: false, fit: true, padding: 20,
        boundingBox: box, randomize: true, nodeRepulsion: () => 8000, idealEdgeLength: () => 45,
        componentSpacing: 20, gravity: 2, numIter: 1500 }).run();
      this.node.dataset.nodes = String(nodes.length);
      this.node.dataset.edges = String(edges.length);
    },
  };

  // ------------------------------------------------------------------ refreshing the views

  async function refreshViews(query) {
    const filters = apiParams(query);
    const key = filters.toString();
    if (key === state.vizQuery) return;
    state.vizQuery = key;
    const seq = ++state.vizSeq;
    const undated = apiParams(query, ['from', 'to']);
    const points = new URLSearchParams(filters);
    points.set('format', 'geojson');
    points.set('limit', String(MAP_LIMIT));
    const sort = new URLSearchParams(query).get('sort');
    if (sort) points.set('sort', sort);
    const net = new URLSearchParams(filters);
    net.set('limit', String(NETWORK_EVENTS));
    const jobs = [
      getJSON(API + '/stats', filters),
      undated.toString() === key ? null : getJSON(API + '/stats', undated),
      getJSON(API + '/events', points),
      getJSON(API + '/network', net),
    ];
    const [stats, wide, geo, network] = await Promise.allSettled(jobs.map((job) => job || Promise.resolve(null)));
    if (seq !== state.vizSeq) return;
    const done = (result, use) => {
      if (result.status === 'fulfilled') use(result.value);
      else console.warn('sitroom:', result.reason);
    };
    done(stats, (s) => {
      updateLegend(s.by_type);
      EventMap.setCounts(s.by_country);
      if (wide.status === 'fulfilled' && !wide.value) Timeline.setData(s.by_day);
    });
    done(wide, (w) => { if (w) Timeline.setData(w.by_day); });
    done(geo, (g) => EventMap.setPoints(g, stats.status === 'fulfilled' ? stats.value.total : undefined));
    done(network, (n) => Network.setData(n));
    for (const id of ['map', 'timeline', 'network']) {
      const node = document.getElementById(id);
      if (node) node.dataset.query = key;
    }
  }

  function start() {
    const list = $('#event-list');
    const query = list ? list.dataset.query || '' : formParams().toString();
    state.applied = formParams().toString();
    history.replaceState({ sitroom: true }, '', location.href);
    for (const [name, init] of [['map', () => EventMap.init()], ['timeline', () => Timeline.init()], ['network', () => Network.init()]]) {
      try { init(); } catch (err) { console.warn(`sitroom: the ${name} did not start`, err); }
    }
    updateExports(query);
    refreshViews(query);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
