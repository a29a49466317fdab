// perftrack results page. Plain JavaScript, no framework, nothing loaded
// from another site. It reads the JSON written by Export (schema in
// mage/export/schema.go) from data/ next to this file.
//
// Rule: data from the JSON files is only ever inserted as text
// (textContent, setAttribute on non-script attributes): never innerHTML.
"use strict";

(function () {
  const SCHEMA = 1;
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);

  // The view state; it lives in the URL fragment so a view can be shared.
  const state = {p: "", base: "", target: "", unit: "", cat: "", q: "", sort: "delta", dir: "asc", bench: ""};
  const cache = new Map(); // url -> Promise of parsed JSON
  let platforms = [];
  let index = null; // IndexJSON of the current platform
  let rows = []; // rows of the table, as built by compute()

  // ---------- small DOM helpers (text only) ----------

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  function svgTitle(parent, text) {
    const t = document.createElementNS(SVG, "title");
    t.textContent = text;
    parent.append(t);
  }

  function option(value, text, selected) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    if (selected) o.selected = true;
    return o;
  }

  function setStatus(text) {
    $("status").textContent = text;
    $("status").hidden = text === "";
  }

  // ---------- data ----------

  function fetchJSON(url) {
    if (!cache.has(url)) {
      const p = fetch(url, {cache: "no-cache"}).then((r) => {
        if (r.status === 404) {
          const e = new Error("not found: " + url);
          e.notFound = true;
          throw e;
        }
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.json();
      }).then((j) => {
        if (!j || j.schema_version !== SCHEMA) {
          throw new Error(url + ": schema_version " + (j && j.schema_version) + ", this page reads " + SCHEMA + " (export again with this version of perftrack)");
        }
        return j;
      });
      p.catch(() => cache.delete(url));
      cache.set(url, p);
    }
    return cache.get(url);
  }

  const dataURL = (...parts) => "data/" + parts.map(encodeURIComponent).join("/");
  const versionFile = (name) => {
    const v = index.versions.find((x) => x.name === name);
    return fetchJSON(dataURL(index.platform, v.file));
  };

  // ---------- URL state ----------

  function readHash() {
    const h = new URLSearchParams(location.hash.replace(/^#/, ""));
    for (const k of Object.keys(state)) {
      const v = h.get(k);
      if (v !== null) state[k] = v;
    }
  }

  function writeHash() {
    const h = new URLSearchParams();
    for (const [k, v] of Object.entries(state)) if (v) h.set(k, v);
    const s = "#" + h.toString();
    if (location.hash !== s) history.replaceState(null, "", s);
  }

  // ---------- formatting ----------

  function fmtValue(v, unit) {
    if (v === null || v === undefined || !isFinite(v)) return "—";
    const scaled = (val, steps) => {
      for (const [f, u] of steps) if (Math.abs(val) >= f) return sig(val / f) + u;
      return sig(val / steps[steps.length - 1][0]) + steps[steps.length - 1][1];
    };
    if (unit === "sec/op") return scaled(v, [[1, "s"], [1e-3, "ms"], [1e-6, "µs"], [1e-9, "ns"], [1e-12, "ps"]]);
    if (unit === "B/op") return scaled(v, [[1 << 30, "GiB"], [1 << 20, "MiB"], [1 << 10, "KiB"], [1, "B"]]);
    if (unit === "B/s") return scaled(v, [[1 << 30, "GiB/s"], [1 << 20, "MiB/s"], [1 << 10, "KiB/s"], [1, "B/s"]]);
    return sig(v);
  }

  function sig(x) {
    if (x === 0) return "0";
    const a = Math.abs(x);
    if (a >= 1000) return Math.round(x).toString();
    return Number(x.toPrecision(a >= 1 ? 4 : 3)).toString();
  }

  function pct(x, signed) {
    if (x === null || x === undefined || !isFinite(x)) return "—";
    const s = (x * 100).toFixed(Math.abs(x) < 0.1 ? 1 : 0) + "%";
    return signed && x > 0 ? "+" + s : s.replace("-", "−");
  }

  function ciPct(r) {
    if (!r || r.lo === null || r.hi === null || !r.median) return "±∞";
    return "±" + pct(Math.max(r.hi / r.median - 1, 1 - r.lo / r.median));
  }

  function fmtP(p) {
    if (p === null || p === undefined) return "—";
    if (p < 0.001) return "<0.001";
    return p.toFixed(3);
  }

  const unitLabel = (u) => (index.units.find((x) => x.unit === u) || {label: u}).label;
  const unitBetter = (u) => (index.units.find((x) => x.unit === u) || {better: 0}).better;

  // ---------- theme ----------

  function systemDark() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function applyTheme(choice) {
    const root = document.documentElement;
    if (choice) root.setAttribute("data-theme", choice);
    else root.removeAttribute("data-theme");
    const dark = choice ? choice === "dark" : systemDark();
    $("theme").setAttribute("aria-pressed", dark ? "true" : "false");
  }

  function initTheme() {
    let saved = "";
    try {
      saved = localStorage.getItem("perftrack-theme") || "";
    } catch (e) {
      saved = ""; // storage blocked (e.g. a sandboxed iframe): follow the system
    }
    applyTheme(saved === "dark" || saved === "light" ? saved : "");
    $("theme").addEventListener("click", () => {
      const dark = $("theme").getAttribute("aria-pressed") === "true";
      const choice = dark ? "light" : "dark";
      applyTheme(choice);
      try {
        localStorage.setItem("perftrack-theme", choice);
      } catch (e) {
        // not persisted; the choice still holds for this page
      }
    });
    if (window.matchMedia) {
      window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
        if (!document.documentElement.getAttribute("data-theme")) applyTheme("");
      });
    }
  }

  // ---------- controls ----------

  function fillSelect(sel, items, value) {
    sel.replaceChildren(...items.map(([v, t]) => option(v, t, v === value)));
  }

  function fillControls() {
    fillSelect($("platform"), platforms.map((p) => [p.id, p.name === p.id ? p.id : p.name + " (" + p.id + ")"]), state.p);
    const vs = index.versions.map((v) => [v.name, v.name]);
    fillSelect($("base"), vs, state.base);
    fillSelect($("target"), vs, state.target);
    fillSelect($("unit"), index.units.map((u) => [u.unit, u.label]), state.unit);
    fillSelect($("category"), [["", "All categories"], ...index.categories.map((c) => [c, c])], state.cat);
    $("search").value = state.q;
  }

  // Make the state valid for the current platform's index.
  function normalize() {
    const names = index.versions.map((v) => v.name);
    if (!names.includes(state.target)) state.target = names[names.length - 1];
    if (!names.includes(state.base)) {
      const i = names.indexOf(state.target);
      state.base = names[Math.max(0, i - 1)];
    }
    if (!index.units.some((u) => u.unit === state.unit)) state.unit = index.units.length ? index.units[0].unit : "";
    if (state.cat && !index.categories.includes(state.cat)) state.cat = "";
    if (state.bench && !index.benchmarks.some((b) => b.id === state.bench)) state.bench = "";
  }

  function bindControls() {
    const on = (id, ev, f) => $(id).addEventListener(ev, f);
    on("platform", "change", (e) => {
      state.p = e.target.value;
      state.base = state.target = state.bench = "";
      loadPlatform();
    });
    on("base", "change", (e) => { state.base = e.target.value; render(); });
    on("target", "change", (e) => { state.target = e.target.value; render(); });
    on("unit", "change", (e) => { state.unit = e.target.value; render(); });
    on("category", "change", (e) => { state.cat = e.target.value; render(); });
    let timer = 0;
    on("search", "input", (e) => {
      clearTimeout(timer);
      timer = setTimeout(() => { state.q = e.target.value; render(); }, 120);
    });
    $("controls").addEventListener("submit", (e) => e.preventDefault());
    on("close-detail", "click", () => {
      state.bench = "";
      writeHash();
      $("detail").hidden = true;
      markSelected();
    });
    let lastWidth = window.innerWidth, resizeTimer = 0;
    window.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        if (!index || window.innerWidth === lastWidth) return;
        lastWidth = window.innerWidth;
        renderDeltas();
        renderDetail().catch(showError);
      }, 150);
    });
    window.addEventListener("hashchange", () => {
      const before = state.p;
      readHash();
      if (state.p !== before) loadPlatform();
      else render();
    });
  }

  // ---------- computing the table ----------

  // compute joins the baseline and target files for the current unit. p and
  // significance come from the target file's comparisons when the baseline
  // is the target's previous or oldest version; for other pairs only the
  // medians and intervals are known.
  function compute(baseV, targV) {
    const unit = state.unit;
    const pick = (v) => {
      const m = new Map();
      for (const r of v.results) if (r.unit === unit) m.set(r.id, r);
      return m;
    };
    const b = pick(baseV), t = pick(targV);
    let cmp = null;
    if (state.base !== state.target) {
      cmp = (targV.comparisons || []).find((c) => c.base === state.base) || null;
    }
    const deltas = new Map();
    if (cmp) for (const r of cmp.rows) if (r.unit === unit) deltas.set(r.id, r);
    const q = state.q.trim().toLowerCase();
    const out = [];
    for (const bench of index.benchmarks) {
      if (state.cat && bench.category !== state.cat) continue;
      if (q && !bench.name.toLowerCase().includes(q) && !bench.category.toLowerCase().includes(q)) continue;
      const br = b.get(bench.id), tr = t.get(bench.id);
      if (!br && !tr) continue;
      let d = deltas.get(bench.id) || null;
      if (!d && br && tr && br.median) {
        const lo = br.hi > 0 && tr.lo !== null ? tr.lo / br.hi - 1 : null;
        const hi = br.lo > 0 && tr.hi !== null ? tr.hi / br.lo - 1 : null;
        d = {delta: tr.median / br.median - 1, delta_lo: lo, delta_hi: hi, p: null, significant: false,
          bound: null, computed: true};
      }
      out.push({bench, base: br || null, targ: tr || null, d});
    }
    return {rows: out, cmp};
  }

  const sorters = {
    name: (r) => r.bench.name.toLowerCase(),
    category: (r) => r.bench.category,
    base: (r) => (r.base ? r.base.median : null),
    target: (r) => (r.targ ? r.targ.median : null),
    delta: (r) => (r.d ? r.d.delta : null),
    p: (r) => (r.d ? r.d.p : null),
    reliability: (r) => ({good: 0, acceptable: 1, warning: 2, high: 3, "very high": 4}[r.bench.reliability] ?? 5),
  };

  function sortRows(list) {
    const key = sorters[state.sort] || sorters.delta;
    const dir = state.dir === "desc" ? -1 : 1;
    return list.slice().sort((a, b) => {
      const x = key(a), y = key(b);
      if (x === y) return a.bench.id < b.bench.id ? -1 : 1;
      if (x === null) return 1; // missing values last either way
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    });
  }

  // ---------- rendering ----------

  const COLUMNS = [
    ["name", "Benchmark"],
    ["category", "Category"],
    ["base", "Baseline"],
    ["target", "Target"],
    ["delta", "Delta"],
    ["p", "p"],
    ["mark", "Change"],
    ["reliability", "Reliability"],
  ];

  function renderHead() {
    const cells = COLUMNS.map(([key, label]) => {
      const th = el("th", {scope: "col", class: "col-" + key});
      if (key === "mark") {
        th.textContent = label;
        return th;
      }
      const active = state.sort === key;
      th.setAttribute("aria-sort", active ? (state.dir === "desc" ? "descending" : "ascending") : "none");
      const btn = el("button", {type: "button", class: "sort"}, label, el("span", {"aria-hidden": "true", class: "arrow"}, active ? (state.dir === "desc" ? " ▼" : " ▲") : ""));
      btn.addEventListener("click", () => {
        if (state.sort === key) state.dir = state.dir === "asc" ? "desc" : "asc";
        else { state.sort = key; state.dir = "asc"; }
        writeHash();
        renderTable();
      });
      th.append(btn);
      return th;
    });
    $("head").replaceChildren(...cells);
  }

  function markFor(d) {
    if (!d || d.computed) return ["", "unknown", "not tested"];
    switch (d.direction) {
      case "better": return ["✓ better", "better", "significantly better after Holm correction"];
      case "worse": return ["✗ worse", "worse", "significantly worse after Holm correction"];
      case "changed": return ["≠ changed", "changed", "significant change in a unit of unknown direction"];
    }
    if (d.significant) return ["~", "none", "significant before, not after Holm correction"];
    return ["~", "none", d.bound !== null && d.bound !== undefined ? "no change larger than ±" + pct(d.bound) + " detected" : "no significant change"];
  }

  function renderTable() {
    renderHead();
    const sorted = sortRows(rows);
    const frag = document.createDocumentFragment();
    for (const r of sorted) {
      const tr = el("tr", {"data-id": r.bench.id});
      const nameBtn = el("button", {type: "button", class: "bench", "aria-controls": "detail", title: r.bench.description || null}, r.bench.name);
      nameBtn.addEventListener("click", (e) => { e.stopPropagation(); select(r.bench.id); });
      tr.addEventListener("click", () => select(r.bench.id));
      const [markText, markClass, markTitle] = markFor(r.d);
      let deltaCell;
      if (r.d) {
        const range = r.d.delta_lo !== null && r.d.delta_hi !== null ? " [" + pct(r.d.delta_lo, true) + ", " + pct(r.d.delta_hi, true) + "]" : "";
        deltaCell = el("td", {class: "num delta " + markClass}, pct(r.d.delta, true), el("span", {class: "range"}, range));
      } else {
        deltaCell = el("td", {class: "num delta"}, r.base ? "only in baseline" : "only in target");
      }
      tr.append(
        el("th", {scope: "row", class: "col-name"}, nameBtn),
        el("td", {class: "col-category"}, r.bench.category),
        el("td", {class: "num"}, r.base ? fmtValue(r.base.median, state.unit) : "—", r.base ? el("span", {class: "range"}, " " + ciPct(r.base)) : null),
        el("td", {class: "num"}, r.targ ? fmtValue(r.targ.median, state.unit) : "—", r.targ ? el("span", {class: "range"}, " " + ciPct(r.targ)) : null),
        deltaCell,
        el("td", {class: "num"}, r.d ? fmtP(r.d.p) : "—"),
        el("td", {class: "mark " + markClass, title: markTitle}, markText, el("span", {class: "sr-only"}, markText === "~" ? " " + markTitle : "")),
        el("td", null, el("span", {class: "badge rel-" + r.bench.reliability.replace(/[^a-z]+/g, "-"), title: r.bench.max_cv !== null ? "largest CV " + pct(r.bench.max_cv) : "no CV"}, r.bench.reliability)),
      );
      frag.append(tr);
    }
    $("rows").replaceChildren(frag);
    $("table-caption").textContent = unitLabel(state.unit) + ": " + state.base + " → " + state.target + " (" + sorted.length + " benchmarks; select a name for its history)";
    markSelected();
  }

  function renderSummary(cmp) {
    const box = $("summary");
    const unit = state.unit;
    const parts = [];
    let g = null;
    if (cmp && !state.cat && !state.q) g = cmp.geomean.find((x) => x.unit === unit) || null;
    if (!g) {
      // geomean of the visible rows' ratios
      let s = 0, n = 0;
      for (const r of rows) if (r.base && r.targ && r.base.median > 0 && r.targ.median > 0) { s += Math.log(r.targ.median / r.base.median); n++; }
      g = {delta: n ? Math.exp(s / n) - 1 : null, n};
    }
    const better = unitBetter(unit);
    let cls = "none";
    if (g.delta !== null && better !== 0 && Math.abs(g.delta) >= 0.0005) cls = (g.delta < 0) === (better < 0) ? "better" : "worse";
    parts.push(el("p", {class: "geomean"}, "Geomean " + unitLabel(unit) + ", " + state.target + " vs " + state.base + ": ",
      el("strong", {class: cls}, pct(g.delta, true)), " over " + g.n + " benchmarks"));
    if (cmp) {
      let b = 0, w = 0, c = 0, raw = 0;
      for (const r of rows) {
        if (!r.d) continue;
        if (r.d.direction === "better") b++;
        else if (r.d.direction === "worse") w++;
        else if (r.d.direction === "changed") c++;
        if (r.d.significant) raw++;
      }
      parts.push(el("p", null, b + " better, " + w + " worse" + (c ? ", " + c + " changed" : "") +
        " (significant at alpha=" + index.alpha + " after Holm correction over " + cmp.comparisons +
        " comparisons; " + raw + " before correction)."));
    } else if (state.base !== state.target) {
      parts.push(el("p", {class: "hint"}, "p-values are exported for each version against the previous and the oldest one. For this pair, run ",
        el("code", null, "go tool mage compare " + state.base + "," + state.target), "."));
    } else {
      parts.push(el("p", {class: "hint"}, "Baseline and target are the same version: pick two different ones to compare."));
    }
    box.replaceChildren(...parts);
  }

  function renderMachine(targV) {
    const dl = $("machine");
    const items = [];
    const add = (k, v) => items.push(el("dt", null, k), el("dd", null, typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)));
    for (const [k, v] of Object.entries(targV.config || {})) add(k, v);
    if (targV.machine && typeof targV.machine === "object") for (const [k, v] of Object.entries(targV.machine)) add(k, v);
    if (Array.isArray(targV.checks)) {
      for (const c of targV.checks) if (c && c.name) add("check " + c.name, (c.status || "") + (c.detail ? ": " + c.detail : ""));
    }
    add("run", targV.stamp + " (" + targV.source + (targV.manifest ? ", " + targV.manifest : "") + ")");
    dl.replaceChildren(...items);
    $("machine-box").hidden = false;
  }

  // chartWidth is the width to draw a chart at: the box's own, so text in
  // the SVG keeps its size on a phone instead of being scaled down.
  function chartWidth(box) {
    return Math.max(280, Math.min(1200, Math.round(box.clientWidth || 800)));
  }

  // The bar chart of deltas: one bar per row with a delta, sorted, with the
  // confidence range as a whisker; colours and a text mark say better/worse.
  function renderDeltas() {
    const box = $("deltas");
    const list = rows.filter((r) => r.d && r.d.delta !== null).sort((a, b) => a.d.delta - b.d.delta);
    if (!list.length) {
      box.replaceChildren(el("p", {class: "hint"}, "No benchmark has results in both versions for this metric."));
      return;
    }
    const W = chartWidth(box), H = W < 500 ? 160 : 220, padL = 48, padR = 8, padT = 10, padB = 20;
    let lo = 0, hi = 0;
    for (const r of list) {
      lo = Math.min(lo, r.d.delta, r.d.delta_lo ?? 0);
      hi = Math.max(hi, r.d.delta, r.d.delta_hi ?? 0);
    }
    const lim = Math.max(0.01, Math.min(1, Math.max(-lo, hi)) * 1.1);
    const y = (v) => padT + (H - padT - padB) * (1 - (Math.max(-lim, Math.min(lim, v)) + lim) / (2 * lim));
    const s = svg("svg", {viewBox: `0 0 ${W} ${H}`, class: "bars", role: "img"});
    const better = list.filter((r) => r.d.direction === "better").length, worse = list.filter((r) => r.d.direction === "worse").length;
    s.setAttribute("aria-label", "Bar chart of the change of " + list.length + " benchmarks in " + unitLabel(state.unit) +
      ", from " + pct(list[0].d.delta, true) + " to " + pct(list[list.length - 1].d.delta, true) + "; " + better + " significantly better, " + worse + " worse.");
    for (const t of [-lim, -lim / 2, 0, lim / 2, lim]) {
      s.append(svg("line", {x1: padL, x2: W - padR, y1: y(t), y2: y(t), class: t === 0 ? "axis" : "grid"}));
      const label = svg("text", {x: padL - 4, y: y(t) + 4, class: "tick", "text-anchor": "end"});
      label.textContent = pct(t, true);
      s.append(label);
    }
    const step = (W - padL - padR) / list.length;
    const bw = Math.max(1, Math.min(48, step * 0.8));
    list.forEach((r, i) => {
      const x = padL + i * step + (step - bw) / 2;
      const y0 = y(0), y1 = y(r.d.delta);
      const g = svg("g", {class: "bar " + (r.d.computed ? "unknown" : r.d.direction), "data-id": r.bench.id});
      g.append(svg("rect", {x, y: Math.min(y0, y1), width: bw, height: Math.max(1, Math.abs(y1 - y0))}));
      if (r.d.delta_lo !== null && r.d.delta_hi !== null && step >= 3) {
        g.append(svg("line", {x1: x + bw / 2, x2: x + bw / 2, y1: y(r.d.delta_lo), y2: y(r.d.delta_hi), class: "whisker"}));
      }
      svgTitle(g, r.bench.name + ": " + pct(r.d.delta, true) + (r.d.p !== null ? " (p=" + fmtP(r.d.p) + ")" : ""));
      g.addEventListener("click", () => select(r.bench.id));
      s.append(g);
    });
    box.replaceChildren(s);
  }

  // The release series of one benchmark: median and confidence band over
  // every version of the platform, samples as dots.
  async function renderDetail() {
    const detail = $("detail");
    if (!state.bench) {
      detail.hidden = true;
      return;
    }
    const bench = index.benchmarks.find((b) => b.id === state.bench);
    if (!bench) {
      detail.hidden = true;
      return;
    }
    detail.hidden = false;
    $("detail-title").textContent = bench.name;
    $("detail-desc").textContent = bench.description || "No description: its Benchmark function has no doc comment.";
    const meta = [bench.category, bench.package];
    if (bench.source) meta.push(bench.source + (bench.line ? ":" + bench.line : ""));
    meta.push("reliability " + bench.reliability + (bench.max_cv !== null ? " (largest CV " + pct(bench.max_cv) + ")" : ""));
    $("detail-meta").textContent = meta.join(" · ");
    const box = $("series");
    box.replaceChildren(el("p", {class: "hint"}, "Loading every version…"));
    const platform = index.platform;
    const files = await Promise.all(index.versions.map((v) => versionFile(v.name).catch(() => null)));
    if (index.platform !== platform || state.bench !== bench.id) return; // the view moved on
    const unit = state.unit;
    const pts = [];
    files.forEach((f, i) => {
      if (!f) return;
      const r = f.results.find((x) => x.id === bench.id && x.unit === unit);
      if (r) pts.push({i, name: index.versions[i].name, r});
    });
    if (!pts.length) {
      box.replaceChildren(el("p", {class: "hint"}, "No results in " + unitLabel(unit) + " for this benchmark."));
      return;
    }
    const W = chartWidth(box), H = W < 500 ? 220 : 260, padL = 64, padR = 40, padT = 12, padB = 44;
    let lo = Infinity, hi = -Infinity;
    for (const p of pts) {
      for (const v of p.r.values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      if (p.r.lo !== null) lo = Math.min(lo, p.r.lo);
      if (p.r.hi !== null) hi = Math.max(hi, p.r.hi);
    }
    if (lo === hi) { lo = lo * 0.9; hi = hi * 1.1 || 1; }
    const span = hi - lo;
    lo -= span * 0.05; hi += span * 0.05;
    const n = index.versions.length;
    const x = (i) => padL + (n === 1 ? (W - padL - padR) / 2 : (W - padL - padR) * i / (n - 1));
    const y = (v) => padT + (H - padT - padB) * (1 - (v - lo) / (hi - lo));
    const s = svg("svg", {viewBox: `0 0 ${W} ${H}`, class: "series", role: "img"});
    s.setAttribute("aria-label", "Median " + unitLabel(unit) + " of " + bench.name + " across " + pts.length + " versions: " +
      pts.map((p) => p.name + " " + fmtValue(p.r.median, unit)).join(", ") + ".");
    for (let k = 0; k <= 4; k++) {
      const v = lo + (hi - lo) * k / 4;
      s.append(svg("line", {x1: padL, x2: W - padR, y1: y(v), y2: y(v), class: "grid"}));
      const t = svg("text", {x: padL - 6, y: y(v) + 4, class: "tick", "text-anchor": "end"});
      t.textContent = fmtValue(v, unit);
      s.append(t);
    }
    // Label every k-th version so names never overlap on a narrow chart;
    // the newest is always labelled.
    const every = Math.max(1, Math.ceil(64 / ((W - padL - padR) / Math.max(1, n - 1))));
    index.versions.forEach((v, i) => {
      if (i % every !== 0 && i !== n - 1) return;
      if (i !== n - 1 && n - 1 - i < every) return;
      const t = svg("text", {x: x(i), y: H - padB + 18, class: "tick", "text-anchor": "middle"});
      t.textContent = v.name;
      s.append(t);
    });
    const band = pts.filter((p) => p.r.lo !== null && p.r.hi !== null);
    if (band.length > 1) {
      const up = band.map((p) => x(p.i) + "," + y(p.r.hi));
      const down = band.slice().reverse().map((p) => x(p.i) + "," + y(p.r.lo));
      s.append(svg("polygon", {points: up.concat(down).join(" "), class: "band"}));
    }
    for (const p of band) s.append(svg("line", {x1: x(p.i), x2: x(p.i), y1: y(p.r.lo), y2: y(p.r.hi), class: "ci"}));
    for (const p of pts) {
      p.r.values.forEach((v, k) => {
        const jitter = ((k * 7919) % 11 - 5) * 1.2; // fixed spread so equal values stay visible
        s.append(svg("circle", {cx: x(p.i) + jitter, cy: y(v), r: 2.5, class: "dot"}));
      });
    }
    if (pts.length > 1) s.append(svg("polyline", {points: pts.map((p) => x(p.i) + "," + y(p.r.median)).join(" "), class: "median"}));
    for (const p of pts) {
      const c = svg("circle", {cx: x(p.i), cy: y(p.r.median), r: 4.5, class: "mid" + (p.name === state.target || p.name === state.base ? " picked" : "")});
      svgTitle(c, p.name + ": median " + fmtValue(p.r.median, unit) + " " + ciPct(p.r) + " (n=" + p.r.n + ")");
      s.append(c);
    }
    box.replaceChildren(s);
  }

  function markSelected() {
    for (const tr of $("rows").children) {
      if (tr.getAttribute("data-id") === state.bench) tr.setAttribute("aria-selected", "true");
      else tr.removeAttribute("aria-selected");
    }
  }

  function select(id) {
    state.bench = state.bench === id ? "" : id;
    writeHash();
    markSelected();
    renderDetail().catch(showError);
    if (state.bench) $("detail").focus({preventScroll: true});
  }

  let renderSeq = 0;
  async function render() {
    document.documentElement.removeAttribute("data-ready");
    normalize();
    writeHash();
    fillControls();
    const seq = ++renderSeq;
    const [baseV, targV] = await Promise.all([versionFile(state.base), versionFile(state.target)]);
    if (seq !== renderSeq) return;
    const res = compute(baseV, targV);
    rows = res.rows;
    renderSummary(res.cmp);
    renderDeltas();
    renderTable();
    renderMachine(targV);
    $("note").textContent = "Medians with " + Math.round(index.confidence * 100) + "% confidence intervals; p from the Mann-Whitney U test, as benchstat computes them. " +
      "Reliability is the benchmark's worst noise class over the versions (from the coefficient of variation: good < 5%, acceptable < 10%, warning < 15%, high < 30%). Data: " + index.platform + ", " + index.versions.length + " versions.";
    $("results").hidden = false;
    setStatus("");
    await renderDetail();
    if (seq === renderSeq) {
      // Tests and tools/perfpage wait for this attribute and read the mark.
      if (window.performance && performance.mark) performance.mark("perftrack-ready");
      document.documentElement.setAttribute("data-ready", "1");
    }
  }

  async function loadPlatform() {
    document.documentElement.removeAttribute("data-ready");
    if (!platforms.some((p) => p.id === state.p)) state.p = platforms[0].id;
    setStatus("Loading " + state.p + "…");
    index = await fetchJSON(dataURL(state.p, "index.json"));
    await render();
  }

  function showEmpty() {
    $("controls").hidden = true;
    $("results").hidden = true;
    $("empty").hidden = false;
    setStatus("");
    document.documentElement.setAttribute("data-ready", "empty");
  }

  function showError(err) {
    setStatus("Could not load the data: " + (err && err.message ? err.message : String(err)));
    document.documentElement.setAttribute("data-ready", "error");
  }

  async function main() {
    initTheme();
    readHash();
    bindControls();
    let list;
    try {
      list = await fetchJSON(dataURL("platforms.json"));
    } catch (err) {
      if (err.notFound) return showEmpty();
      throw err;
    }
    platforms = list.platforms || [];
    if (!platforms.length) return showEmpty();
    $("controls").hidden = false;
    await loadPlatform();
  }

  main().catch(showError);
})();
