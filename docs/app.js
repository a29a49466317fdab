// perftrack results page. Plain JavaScript, no framework, nothing loaded
// from another site. It reads the JSON written by Export (schema in
// mage/export/schema.go) from data/ next to this file.
//
// Rules: data from the JSON files is only ever inserted as text
// (textContent, setAttribute on non-script attributes): never innerHTML.
// Every verdict (significant, exact, better or worse, the noise class) is
// mage/stats', as Export wrote it: the page shows it and computes no
// statistic of its own.
"use strict";

(function () {
  const SCHEMA = 1;
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);

  // The view state; it lives in the URL fragment so a view can be shared.
  // view is "" (two versions) or "series" (every version); ssort and sdir
  // sort the series matrix.
  const state = {view: "", p: "", base: "", target: "", unit: "", cat: "", q: "", sort: "delta", dir: "asc",
    ssort: "name", sdir: "asc", bench: ""};
  const cache = new Map(); // url -> Promise of parsed JSON
  let platforms = [];
  let index = null; // IndexJSON of the current platform
  let rows = []; // rows of the table, as built by compute()
  let seriesRows = []; // rows of the series matrix
  let seriesCols = []; // its version columns
  const seriesByID = new Map(); // benchmark ID -> matrix row

  // ---------- small DOM helpers (text only) ----------

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const k in attrs) {
      const v = attrs[k];
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

  function svgText(parent, attrs, text) {
    const t = svg("text", attrs);
    t.textContent = text;
    parent.append(t);
    return t;
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

  // breakable returns a benchmark name as text with a line-break
  // opportunity after each "/", "_", "=", "," or "-", so a long name wraps
  // between its parts instead of mid-word.
  function breakable(name) {
    const frag = document.createDocumentFragment();
    const parts = String(name).split(/(?<=[/_=,-])/);
    parts.forEach((p, i) => {
      frag.append(document.createTextNode(p));
      if (i < parts.length - 1) frag.append(document.createElement("wbr"));
    });
    return frag;
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
    if (state.view !== "series") state.view = "";
  }

  function writeHash() {
    const h = new URLSearchParams();
    for (const [k, v] of Object.entries(state)) if (v) h.set(k, v);
    const s = "#" + h.toString();
    if (location.hash !== s) history.replaceState(null, "", s);
  }

  // ---------- formatting ----------

  // Scales of the units the page knows: [factor, suffix], largest first.
  const SCALES = {
    "sec/op": [[1, "s"], [1e-3, "ms"], [1e-6, "µs"], [1e-9, "ns"], [1e-12, "ps"]],
    "B/op": [[1 << 30, "GiB"], [1 << 20, "MiB"], [1 << 10, "KiB"], [1, "B"]],
    "B/s": [[1 << 30, "GiB/s"], [1 << 20, "MiB/s"], [1 << 10, "KiB/s"], [1, "B/s"]],
  };

  // scaleFor picks the scale of a unit for a magnitude.
  function scaleFor(v, unit) {
    const steps = SCALES[unit];
    if (!steps) return [1, ""];
    for (const s of steps) if (Math.abs(v) >= s[0]) return s;
    return steps[steps.length - 1];
  }

  function fmtValue(v, unit) {
    if (v === null || v === undefined || !isFinite(v)) return "—";
    if (v === 0) return "0" + scaleFor(1, unit)[1];
    const [f, suffix] = scaleFor(v, unit);
    return sig(v / f) + suffix;
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

  // spread says how precise a median is: ±x% from its confidence
  // interval, "exact" without spread, or in words why there is no interval.
  function spread(r) {
    if (!r) return "";
    if (r.noise === "exact") return "exact";
    if (r.lo === null || r.hi === null) return "no interval (n=" + r.n + ")";
    if (!r.median) return "[" + fmtValue(r.lo, state.unit) + ", " + fmtValue(r.hi, state.unit) + "]";
    return "±" + pct(Math.max(r.hi / r.median - 1, 1 - r.lo / r.median));
  }

  function fmtP(p) {
    if (p === null || p === undefined) return "—";
    if (p < 0.001) return "<0.001";
    return p.toFixed(3);
  }

  const benchmarks = (n) => n + (n === 1 ? " benchmark" : " benchmarks");
  const unitLabel = (u) => (index.units.find((x) => x.unit === u) || {label: u}).label;
  const unitBetter = (u) => (index.units.find((x) => x.unit === u) || {better: 0}).better;

  // Noise: mage/stats' class of a sample's CV, in words that grow with
  // the noise. "exact" is a sample without spread.
  const NOISE = {
    exact: ["exact", 0], good: ["low", 1], acceptable: ["moderate", 2], warning: ["elevated", 3],
    high: ["high", 4], "very high": ["very high", 5], unknown: ["unknown", 6],
  };
  const noiseOf = (r) => NOISE[(r && r.noise) || "unknown"] || NOISE.unknown;

  // noiseBadge shows the noisier of the results given, with its CV.
  function noiseBadge(...results) {
    let worst = null;
    for (const r of results) if (r && (!worst || noiseOf(r)[1] > noiseOf(worst)[1])) worst = r;
    const [word, rank] = noiseOf(worst);
    const cv = worst && worst.cv !== null && worst.cv !== undefined && word !== "exact" ? " CV " + pct(worst.cv) : "";
    return el("span", {class: "badge noise-" + rank, title: word === "exact" ? "every sample has the same value" : "coefficient of variation of the samples" + (cv ? ":" + cv : " unknown")}, word + cv);
  }

  // ---------- theme ----------

  function systemDark() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  // The theme button names the theme a click switches to.
  function applyTheme(choice) {
    const root = document.documentElement;
    if (choice) root.setAttribute("data-theme", choice);
    else root.removeAttribute("data-theme");
    const dark = choice ? choice === "dark" : systemDark();
    const b = $("theme");
    b.textContent = dark ? "Light theme" : "Dark theme";
    b.setAttribute("aria-label", dark ? "Switch to the light theme" : "Switch to the dark theme");
    b.setAttribute("data-current", dark ? "dark" : "light");
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
      const choice = $("theme").getAttribute("data-current") === "dark" ? "light" : "dark";
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
    const series = state.view === "series";
    $("base-label").hidden = series;
    $("target-label").hidden = series;
    for (const [id, on] of [["view-compare", !series], ["view-series", series]]) {
      if (on) $(id).setAttribute("aria-current", "page");
      else $(id).removeAttribute("aria-current");
    }
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
    if (!["name", "category", "changes"].includes(state.ssort) && !names.includes(state.ssort)) state.ssort = "name";
  }

  function bindControls() {
    const on = (id, ev, f) => $(id).addEventListener(ev, f);
    on("platform", "change", (e) => {
      state.p = e.target.value;
      state.base = state.target = state.bench = "";
      loadPlatform().catch(showError);
    });
    const rerender = () => render().catch(showError);
    on("base", "change", (e) => { state.base = e.target.value; rerender(); });
    on("target", "change", (e) => { state.target = e.target.value; rerender(); });
    on("unit", "change", (e) => { state.unit = e.target.value; rerender(); });
    on("category", "change", (e) => { state.cat = e.target.value; rerender(); });
    on("view-compare", "click", () => { state.view = ""; rerender(); });
    on("view-series", "click", () => { state.view = "series"; rerender(); });
    let timer = 0;
    on("search", "input", (e) => {
      clearTimeout(timer);
      timer = setTimeout(() => { state.q = e.target.value; rerender(); }, 120);
    });
    $("controls").addEventListener("submit", (e) => e.preventDefault());
    // Rows open their benchmark's history; one handler per table body.
    for (const id of ["rows", "srows"]) {
      on(id, "click", (e) => {
        const tr = e.target.closest("tr[data-id]");
        if (tr) select(tr.getAttribute("data-id"));
      });
    }
    on("srows", "mouseover", (e) => {
      const td = e.target.closest("td.cell");
      if (!td || td.title) return;
      const r = seriesByID.get(td.parentElement.getAttribute("data-id"));
      const ci = Array.prototype.indexOf.call(td.parentElement.children, td) - 3;
      if (r && ci >= 0) td.title = cellTitle(r, ci);
    });
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
        if (state.view !== "series") renderDeltas();
        renderDetail().catch(showError);
      }, 150);
    });
    window.addEventListener("hashchange", () => {
      const before = state.p;
      readHash();
      if (state.p !== before) loadPlatform().catch(showError);
      else rerender();
    });
  }

  // ---------- computing the table ----------

  // matches says whether a benchmark passes the category and search filters.
  function matches(bench) {
    const q = state.q.trim().toLowerCase();
    if (state.cat && bench.category !== state.cat) return false;
    return !q || bench.name.toLowerCase().includes(q) || bench.category.toLowerCase().includes(q);
  }

  // compute joins the baseline and target files for the current unit. The
  // verdict of each row comes from the target file's comparisons when the
  // baseline is the target's previous or oldest version; for other pairs
  // only the medians are known, and the page says it cannot tell.
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
    const out = [];
    for (const bench of index.benchmarks) {
      if (!matches(bench)) continue;
      const br = b.get(bench.id), tr = t.get(bench.id);
      if (!br && !tr) continue;
      let d = deltas.get(bench.id) || null;
      if (!d && br && tr && br.median && state.base !== state.target) {
        // The ratio of the medians, with no test behind it.
        d = {delta: tr.median / br.median - 1, delta_lo: null, delta_hi: null, p: null, significant: false,
          significant_holm: false, direction: "none", bound: null, exact: false, untested: true};
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
    p: (r) => (r.d && !r.d.untested && !r.d.exact ? r.d.p : null),
    noise: (r) => Math.max(noiseOf(r.base)[1], noiseOf(r.targ)[1]),
  };

  function sortBy(list, key, desc) {
    const dir = desc ? -1 : 1;
    return list.slice().sort((a, b) => {
      const x = key(a), y = key(b);
      if (x === y || (x !== x && y !== y)) return a.bench.id < b.bench.id ? -1 : 1;
      if (x === null || x !== x) return 1; // missing values last either way
      if (y === null || y !== y) return -1;
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
    ["noise", "Noise"],
  ];

  function sortHeader(th, key, label, active, desc, onSort) {
    th.setAttribute("aria-sort", active ? (desc ? "descending" : "ascending") : "none");
    const btn = el("button", {type: "button", class: "sort"}, label, el("span", {"aria-hidden": "true", class: "arrow"}, active ? (desc ? " ▼" : " ▲") : ""));
    btn.addEventListener("click", () => onSort(key));
    th.append(btn);
    return th;
  }

  function renderHead() {
    const cells = COLUMNS.map(([key, label]) => {
      const th = el("th", {scope: "col", class: "col-" + key});
      if (key === "mark") {
        th.textContent = label;
        return th;
      }
      return sortHeader(th, key, label, state.sort === key, state.dir === "desc", (k) => {
        if (state.sort === k) state.dir = state.dir === "asc" ? "desc" : "asc";
        else { state.sort = k; state.dir = "asc"; }
        writeHash();
        renderTable();
      });
    });
    $("head").replaceChildren(...cells);
  }

  // markFor returns the text, class and explanation of a row's verdict,
  // as mage/stats decided it: significant after the correction, exact, or
  // cannot tell (and why).
  function markFor(d) {
    if (!d) return ["", "none", ""];
    if (d.untested) return ["? not tested", "unknown", "this pair of versions was not compared by a test (the export compares each version with the previous and the oldest): cannot tell"];
    const exact = d.exact ? " (exact)" : "";
    switch (d.direction) {
      case "better": return ["✓ better" + exact, "better", d.exact ? "every sample of both versions is one value, and the values differ" : "significantly better after the Holm correction (p=" + fmtP(d.p_holm) + " adjusted)"];
      case "worse": return ["✗ worse" + exact, "worse", d.exact ? "every sample of both versions is one value, and the values differ" : "significantly worse after the Holm correction (p=" + fmtP(d.p_holm) + " adjusted)"];
      case "changed": return ["≠ changed" + exact, "changed", "a significant change in a metric of unknown direction"];
    }
    if (d.exact) return ["= same (exact)", "exact", "every sample of both versions is the same value: no test needed"];
    if (d.significant) return ["? cannot tell", "unknown", "p=" + fmtP(d.p) + " is significant alone, not after the Holm correction over the metric's tests (adjusted p=" + fmtP(d.p_holm) + ")"];
    if (d.bound === null || d.bound === undefined) return ["? cannot tell", "unknown", "too few samples for a bounded interval of the change: cannot tell"];
    return ["~ within ±" + pct(d.bound), "none", "no significant change; the interval rules out changes larger than ±" + pct(d.bound)];
  }

  // deltaRange says the interval of a change, or in words why there is none.
  function deltaRange(d) {
    if (d.untested) return "no test";
    if (d.exact) return "exact";
    if (d.delta_lo === null || d.delta_hi === null) return "interval unbounded";
    return "[" + pct(d.delta_lo, true) + ", " + pct(d.delta_hi, true) + "]";
  }

  function renderTable() {
    renderHead();
    const sorted = sortBy(rows, sorters[state.sort] || sorters.delta, state.dir === "desc");
    const frag = document.createDocumentFragment();
    const lab = (label) => ({"data-label": label});
    for (const r of sorted) {
      const tr = el("tr", {"data-id": r.bench.id});
      const nameBtn = el("button", {type: "button", class: "bench", "aria-controls": "detail", title: r.bench.description || null}, breakable(r.bench.name));
      const [markText, markClass, markTitle] = markFor(r.d);
      let deltaCell;
      if (r.d) {
        deltaCell = el("td", {...lab("Delta"), class: "num delta " + markClass}, pct(r.d.delta, true), el("span", {class: "range"}, " " + deltaRange(r.d)));
      } else {
        deltaCell = el("td", {...lab("Delta"), class: "num delta"}, r.base ? "only in baseline" : "only in target");
      }
      const value = (res) => res ? [fmtValue(res.median, state.unit), el("span", {class: "range"}, " " + spread(res))] : ["—"];
      tr.append(
        el("th", {scope: "row", class: "col-name"}, nameBtn),
        el("td", {...lab("Category"), class: "col-category"}, r.bench.category),
        el("td", {...lab(state.base), class: "num"}, ...value(r.base)),
        el("td", {...lab(state.target), class: "num"}, ...value(r.targ)),
        deltaCell,
        el("td", {...lab("p"), class: "num"}, r.d && !r.d.untested && !r.d.exact ? fmtP(r.d.p) : "—"),
        el("td", {...lab("Change"), class: "mark " + markClass, title: markTitle}, markText, el("span", {class: "sr-only"}, markTitle ? ": " + markTitle : "")),
        el("td", lab("Noise"), noiseBadge(r.base, r.targ)),
      );
      frag.append(tr);
    }
    $("rows").replaceChildren(frag);
    $("table-caption").textContent = unitLabel(state.unit) + ": " + state.base + " → " + state.target + " (" + benchmarks(sorted.length) + "; select a name for its history)";
    markSelected();
  }

  const familyOf = (cmp, unit) => (cmp && cmp.families || []).find((f) => f.unit === unit) || null;

  function renderSummary(cmp) {
    const box = $("summary");
    const unit = state.unit;
    const parts = [];
    const fam = familyOf(cmp, unit);
    const g = cmp ? cmp.geomean.find((x) => x.unit === unit) : null;
    if (g && g.delta !== null) {
      // The geomean is a summary, not a test: it is emphasized, and
      // coloured, only when some benchmark of the metric changed
      // significantly after the correction (or exactly).
      const changed = fam ? fam.significant_holm + fam.exact_changed : 0;
      const better = unitBetter(unit);
      let cls = "muted";
      if (changed > 0 && better !== 0 && Math.abs(g.delta) >= 0.0005) cls = (g.delta < 0) === (better < 0) ? "better" : "worse";
      const value = changed > 0 ? el("strong", {class: cls}, pct(g.delta, true)) : el("span", {class: cls}, pct(g.delta, true));
      const why = changed > 0 ? "" : ": no benchmark changed significantly, so this mean of the medians' ratios is no verdict";
      const filtered = state.cat || state.q ? " (over all " + benchmarks(g.n) + ", not only those shown)" : " over " + benchmarks(g.n);
      parts.push(el("p", {class: "geomean" + (changed > 0 ? "" : " quiet")}, "Geomean " + unitLabel(unit) + ", " + state.target + " vs " + state.base + ": ", value, filtered + why));
    }
    if (cmp) {
      let b = 0, w = 0, c = 0;
      for (const r of rows) {
        if (!r.d) continue;
        if (r.d.direction === "better") b++;
        else if (r.d.direction === "worse") w++;
        else if (r.d.direction === "changed") c++;
      }
      const shown = state.cat || state.q ? " of those shown" : "";
      let text = b + " better, " + w + " worse" + (c ? ", " + c + " changed" : "") + shown;
      if (fam) {
        const tests = fam.tests ? "significant at alpha=" + index.alpha + " after the Holm correction over " + fam.tests + (fam.tests === 1 ? " test" : " tests") + " (" + fam.significant + " before the correction)" : "";
        const exact = fam.exact ? fam.exact + " exact (" + fam.exact_changed + " changed, no test needed)" : "";
        text += " — " + [tests, exact].filter(Boolean).join("; ") + ".";
      }
      parts.push(el("p", null, text));
      if (fam && fam.power) parts.push(el("p", {class: "warn"}, "Cannot see changes: " + fam.power + "."));
      // What else stats says of the verdict (benchmarks on one side only,
      // inputs not compared); checks and interleaving are in the banner.
      const other = (cmp.caveats || []).filter((c) => !c.startsWith("failed system check") && !/interleaved run/.test(c));
      if (other.length) parts.push(el("ul", {class: "caveats hint"}, ...other.map((c) => el("li", null, c))));
    } else if (state.base !== state.target) {
      parts.push(el("p", {class: "hint"}, "No test was exported for this pair (each version is compared with the previous and the oldest), so no change here is a verdict. For this pair, run ",
        el("code", null, "go tool mage compare " + state.base + "," + state.target), "."));
    } else {
      parts.push(el("p", {class: "hint"}, "Baseline and target are the same version: pick two different ones to compare."));
    }
    box.replaceChildren(...parts);
  }

  // failedOf lists the failed system checks recorded in a version file.
  function failedOf(v) {
    if (!Array.isArray(v.checks)) return [];
    return v.checks.filter((c) => c && c.status === "failed").map((c) => "run " + v.stamp + ": " + c.name + (c.detail ? ": " + c.detail : ""));
  }

  // renderBanner says, above everything, what undermines the verdict of
  // the runs compared: failed system checks, and runs that were not one
  // interleaved run. items are [heading, [text...]] pairs.
  function renderBanner(items) {
    const box = $("banner");
    const list = items.filter(([, texts]) => texts.length);
    if (!list.length) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const kids = [el("strong", null, "Read these results with care.")];
    for (const [head, texts] of list) {
      kids.push(el("p", null, head));
      kids.push(el("ul", null, ...texts.map((t) => el("li", null, t))));
    }
    box.replaceChildren(...kids);
    box.hidden = false;
  }

  function compareBanner(cmp, baseV, targV) {
    if (state.base === state.target) return [];
    let failed, interleaved;
    if (cmp) {
      failed = cmp.failed_checks || [];
      interleaved = cmp.interleaved;
    } else {
      failed = [...new Set([...failedOf(baseV), ...failedOf(targV)])];
      interleaved = !!baseV.manifest && baseV.manifest === targV.manifest;
    }
    const runs = interleaved ? [] : [state.base + " and " + state.target + " were not measured in one interleaved run" +
      (baseV.stamp !== targV.stamp ? " (runs " + (baseV.stamp || "unknown") + " and " + (targV.stamp || "unknown") + ")" : " (no run record)") +
      ": drift of the machine between the runs can show as changes."];
    return [["Failed system checks:", failed], ["Not interleaved:", runs]];
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
  // confidence range as a whisker; colours and a text mark say better or
  // worse only where stats found a significant change. A bar or whisker
  // beyond the axis is cut there and marked with a triangle.
  function renderDeltas() {
    const box = $("deltas");
    const list = rows.filter((r) => r.d && r.d.delta !== null).sort((a, b) => a.d.delta - b.d.delta);
    if (!list.length) {
      box.replaceChildren(el("p", {class: "hint"}, "No benchmark has results in both versions for this metric."));
      return;
    }
    const W = chartWidth(box), H = W < 500 ? 170 : 220, padL = 52, padR = 10, padT = 14, padB = 14;
    let lo = 0, hi = 0;
    for (const r of list) {
      lo = Math.min(lo, r.d.delta, r.d.delta_lo ?? 0);
      hi = Math.max(hi, r.d.delta, r.d.delta_hi ?? 0);
    }
    // The axis reaches a round percentage past the largest change (at most
    // ±100%, beyond which bars are cut and marked).
    const raw = Math.max(0.01, Math.min(1, Math.max(-lo, hi) * 1.05));
    const tickStep = niceStep(raw / 2);
    const lim = Math.ceil(raw / tickStep - 1e-9) * tickStep;
    const y = (v) => padT + (H - padT - padB) * (1 - (Math.max(-lim, Math.min(lim, v)) + lim) / (2 * lim));
    const s = svg("svg", {viewBox: `0 0 ${W} ${H}`, class: "bars", role: "img"});
    const better = list.filter((r) => r.d.direction === "better").length, worse = list.filter((r) => r.d.direction === "worse").length;
    let clipped = 0;
    const ticks = [];
    for (let t = -lim; t <= lim + tickStep / 2; t += tickStep) ticks.push(Math.abs(t) < tickStep / 2 ? 0 : t);
    for (const t of ticks) {
      s.append(svg("line", {x1: padL, x2: W - padR, y1: y(t), y2: y(t), class: t === 0 ? "axis" : "grid"}));
      svgText(s, {x: padL - 4, y: y(t) + 4, class: "tick", "text-anchor": "end"}, pct(t, true));
    }
    const step = (W - padL - padR) / list.length;
    const bw = Math.max(1, Math.min(48, step * 0.8));
    const clipMark = (g, cx, up) => {
      const yy = up ? padT - 1 : H - padB + 1, d = up ? -1 : 1, a = Math.max(3, Math.min(5, bw / 2 + 1));
      g.append(svg("polygon", {points: `${cx - a},${yy} ${cx + a},${yy} ${cx},${yy + d * 7}`, class: "clip"}));
      clipped++;
    };
    list.forEach((r, i) => {
      const x = padL + i * step + (step - bw) / 2, cx = x + bw / 2;
      const y0 = y(0), y1 = y(r.d.delta);
      const g = svg("g", {class: "bar " + (r.d.untested ? "unknown" : r.d.direction), "data-id": r.bench.id});
      g.append(svg("rect", {x, y: Math.min(y0, y1), width: bw, height: Math.max(1, Math.abs(y1 - y0))}));
      const hasCI = r.d.delta_lo !== null && r.d.delta_hi !== null;
      if (hasCI && step >= 3) {
        g.append(svg("line", {x1: cx, x2: cx, y1: y(r.d.delta_lo), y2: y(r.d.delta_hi), class: "whisker"}));
      }
      const over = Math.max(r.d.delta, hasCI ? r.d.delta_hi : r.d.delta) > lim;
      const under = Math.min(r.d.delta, hasCI ? r.d.delta_lo : r.d.delta) < -lim;
      if (over) clipMark(g, cx, true);
      if (under) clipMark(g, cx, false);
      const [markText] = markFor(r.d);
      svgTitle(g, r.bench.name + ": " + pct(r.d.delta, true) + " " + deltaRange(r.d) + (markText ? ", " + markText : "") + (over || under ? " (cut at ±" + pct(lim) + ")" : ""));
      g.addEventListener("click", () => select(r.bench.id));
      s.append(g);
    });
    s.setAttribute("aria-label", "Bar chart of the change of " + list.length + " benchmarks in " + unitLabel(state.unit) +
      ", from " + pct(list[0].d.delta, true) + " to " + pct(list[list.length - 1].d.delta, true) + "; " + better + " significantly better, " + worse + " worse" +
      (clipped ? "; " + clipped + " bars or intervals cut at ±" + pct(lim) : "") + ".");
    const kids = [s];
    if (clipped) kids.push(el("p", {class: "hint clip-note"}, "▲▼ " + clipped + (clipped === 1 ? " bar or interval goes" : " bars or intervals go") + " beyond ±" + pct(lim) + " and " + (clipped === 1 ? "is" : "are") + " cut at the edge."));
    box.replaceChildren(...kids);
  }

  // niceStep rounds a raw tick step to 1, 2 or 5 times a power of ten.
  function niceStep(raw) {
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  }

  // axis chooses the value axis of a history chart: rounded ticks in one
  // unit, starting at zero unless the values are far from it (then it says
  // so), never below zero for values that cannot be negative.
  function axis(lo, hi, unit) {
    const nonNeg = lo >= 0;
    let zero = nonNeg && lo <= hi * 0.5;
    let min = zero ? 0 : lo, max = hi;
    if (max === min) { max = max === 0 ? 1 : max * 1.1; min = zero ? 0 : min * 0.9; }
    const step = niceStep((max - min) / 5);
    let start = Math.floor(min / step) * step;
    if (nonNeg && start < 0) start = 0;
    if (start === 0) zero = true;
    const ticks = [Number(start.toPrecision(12))];
    while (ticks[ticks.length - 1] < max - step * 1e-9 || ticks.length < 2) ticks.push(Number((start + ticks.length * step).toPrecision(12)));
    const top = ticks[ticks.length - 1];
    const [f, suffix] = scaleFor(Math.max(Math.abs(top), Math.abs(ticks[0])), unit);
    const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step / f) + 1e-9)));
    const label = (v) => (v === 0 ? "0" : (v / f).toFixed(decimals) + suffix);
    return {min: ticks[0], max: top, ticks, label, zero};
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
    $("detail-title").replaceChildren(breakable(bench.name));
    $("detail-desc").textContent = bench.description || "No description: its Benchmark function has no doc comment.";
    const meta = [bench.category, bench.package];
    if (bench.source) meta.push(bench.source + (bench.line ? ":" + bench.line : ""));
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
    const noisy = pts.map((p) => p.name + ": noise " + noiseOf(p.r)[0] + (p.r.cv !== null && noiseOf(p.r)[0] !== "exact" ? " (CV " + pct(p.r.cv) + ")" : ""));
    $("detail-meta").textContent = meta.concat([noisy[noisy.length - 1]]).join(" · ");
    const W = chartWidth(box), H = W < 500 ? 230 : 270, padL = 66, padR = 16, padT = 22, padB = 40;
    let lo = Infinity, hi = -Infinity;
    for (const p of pts) {
      for (const v of p.r.values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      if (p.r.lo !== null) lo = Math.min(lo, p.r.lo);
      if (p.r.hi !== null) hi = Math.max(hi, p.r.hi);
    }
    const ax = axis(lo, hi, unit);
    const n = index.versions.length;
    const inset = 16; // keeps the first and last points off the tick labels
    const x = (i) => padL + inset + (n === 1 ? (W - padL - padR - 2 * inset) / 2 : (W - padL - padR - 2 * inset) * i / (n - 1));
    const y = (v) => padT + (H - padT - padB) * (1 - (v - ax.min) / (ax.max - ax.min));
    const s = svg("svg", {viewBox: `0 0 ${W} ${H}`, class: "series", role: "img", "data-zero": ax.zero ? "1" : "0"});
    s.setAttribute("aria-label", "Median " + unitLabel(unit) + " of " + bench.name + " across " + pts.length + " versions: " +
      pts.map((p) => p.name + " " + fmtValue(p.r.median, unit)).join(", ") + "." + (ax.zero ? "" : " The value axis starts at " + ax.label(ax.min) + ", not zero."));
    for (const v of ax.ticks) {
      s.append(svg("line", {x1: padL, x2: W - padR, y1: y(v), y2: y(v), class: v === 0 ? "axis" : "grid"}));
      svgText(s, {x: padL - 6, y: y(v) + 4, class: "tick ytick", "text-anchor": "end"}, ax.label(v));
    }
    if (!ax.zero) svgText(s, {x: 4, y: padT - 8, class: "axis-note"}, "axis starts at " + ax.label(ax.min) + ", not zero");
    // Label every k-th version so names never overlap on a narrow chart;
    // the newest is always labelled.
    const every = Math.max(1, Math.ceil(64 / ((W - padL - padR) / Math.max(1, n - 1))));
    index.versions.forEach((v, i) => {
      if (i % every !== 0 && i !== n - 1) return;
      if (i !== n - 1 && n - 1 - i < every) return;
      svgText(s, {x: x(i), y: H - padB + 18, class: "tick", "text-anchor": i === 0 && n > 1 ? "start" : i === n - 1 && n > 1 ? "end" : "middle"}, v.name);
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
      const picked = state.view !== "series" && (p.name === state.target || p.name === state.base);
      const c = svg("circle", {cx: x(p.i), cy: y(p.r.median), r: 4.5, class: "mid" + (picked ? " picked" : "")});
      svgTitle(c, p.name + ": median " + fmtValue(p.r.median, unit) + " " + spread(p.r) + " (n=" + p.r.n + ")");
      s.append(c);
    }
    box.replaceChildren(s);
    // Where a regression of the target against the baseline went, when
    // explain profiled it in the target's run.
    const ti = index.versions.findIndex((v) => v.name === state.target);
    const ex = ti >= 0 && files[ti] ? (files[ti].explanations || []).find((e) => e.id === bench.id && e.unit === unit && e.base === state.base) : null;
    if (ex) box.append(explanationView(ex));
    mark("perftrack-detail-ready");
  }

  // explanationView lists the functions that grew most per op in one
  // regression, from the profiles explain kept beside the run.
  function explanationView(ex) {
    const [u, f] = {"ns/op": ["sec/op", 1e-9], "B/op": ["B/op", 1]}[ex.value_unit] || ["", 1];
    const v = (x) => (x === null ? "—" : fmtValue(x * f, u) + (u ? "" : " " + ex.value_unit));
    const box = el("div", {class: "explanation"},
      el("h3", null, "Where it went: " + state.target + " against " + ex.base + " (" + unitLabel(ex.unit) + ")"));
    if (ex.error) {
      box.append(el("p", {class: "hint"}, "Not explained: " + ex.error));
      return box;
    }
    box.append(el("p", {class: "hint"}, "Profiles grew " + v(ex.change) + " per op; the benchmark measured " + v(ex.measured_change) + ". Functions that grew most in their own code:"));
    const rows = ex.flat.map((fn) => el("tr", null,
      el("th", {scope: "row"}, el("code", null, fn.function)),
      el("td", {class: "num"}, v(fn.base)), el("td", {class: "num"}, v(fn.new)),
      el("td", {class: "num worse"}, "+" + v(fn.delta)), el("td", {class: "num"}, fn.share === null ? "—" : pct(fn.share))));
    box.append(el("table", {class: "funcs"},
      el("thead", null, el("tr", null, el("th", {scope: "col"}, "function"), el("th", {scope: "col", class: "num"}, ex.base),
        el("th", {scope: "col", class: "num"}, state.target), el("th", {scope: "col", class: "num"}, "delta"), el("th", {scope: "col", class: "num"}, "share"))),
      el("tbody", null, ...rows)));
    for (const w of ex.warnings) box.append(el("p", {class: "hint"}, "Warning: " + w));
    box.append(el("p", {class: "hint"}, "The same difference in pprof: ", el("code", null, ex.pprof)));
    return box;
  }

  // ---------- the series view ----------

  // renderSeries draws the matrix of benchmarks by consecutive versions:
  // each cell is the change from the previous version, as the export's
  // "previous" comparison has it, coloured only when significant.
  function renderSeries(steps) {
    const unit = state.unit;
    const vs = index.versions;
    // The previous-version rows of each version, by benchmark ID.
    const cols = [];
    for (let i = 1; i < vs.length; i++) {
      const step = steps.find((x) => x.target === vs[i].name) || null;
      const m = new Map();
      if (step) for (const r of step.rows) if (r.unit === unit) m.set(r.id, r);
      cols.push({name: vs[i].name, base: vs[i - 1].name, rows: m});
    }
    seriesRows = [];
    seriesByID.clear();
    for (const bench of index.benchmarks) {
      if (!matches(bench) || !bench.units.includes(unit)) continue;
      const cells = cols.map((c) => c.rows.get(bench.id) || null);
      const changes = cells.filter((d) => d && d.direction !== "none").length;
      seriesRows.push({bench, cells, changes});
    }
    const key = state.ssort === "name" ? (r) => r.bench.name.toLowerCase()
      : state.ssort === "category" ? (r) => r.bench.category + "\x00" + r.bench.name.toLowerCase()
        : state.ssort === "changes" ? (r) => -r.changes
          : ((ci) => (r) => (r.cells[ci] ? r.cells[ci].delta : null))(cols.findIndex((c) => c.name === state.ssort));
    const sorted = sortBy(seriesRows, key, state.sdir === "desc");

    const onSort = (k) => {
      if (state.ssort === k) state.sdir = state.sdir === "asc" ? "desc" : "asc";
      else { state.ssort = k; state.sdir = k === "name" || k === "category" || k === "changes" ? "asc" : "desc"; }
      writeHash();
      renderSeries(steps);
    };
    const head = [
      sortHeader(el("th", {scope: "col", class: "col-name"}), "name", "Benchmark", state.ssort === "name", state.sdir === "desc", onSort),
      sortHeader(el("th", {scope: "col", class: "col-category"}), "category", "Category", state.ssort === "category", state.sdir === "desc", onSort),
      sortHeader(el("th", {scope: "col", class: "col-changes", title: "number of significant changes over the series"}), "changes", "Changes", state.ssort === "changes", state.sdir === "desc", onSort),
      ...cols.map((c) => sortHeader(el("th", {scope: "col", class: "col-version", title: "change from " + c.base + " to " + c.name}), c.name, c.name, state.ssort === c.name, state.sdir === "desc", onSort)),
    ];
    $("shead").replaceChildren(...head);
    // Note: the matrix is thousands of cells, so they are made directly,
    // with one click and one hover handler for the whole body; a quiet
    // cell gets its explanation (title) when the pointer reaches it.
    seriesCols = cols;
    const frag = document.createDocumentFragment();
    for (const r of sorted) {
      const tr = el("tr", {"data-id": r.bench.id});
      seriesByID.set(r.bench.id, r);
      const nameBtn = el("button", {type: "button", class: "bench", "aria-controls": "detail", title: r.bench.description || null}, breakable(r.bench.name));
      tr.append(el("th", {scope: "row", class: "col-name"}, nameBtn),
        el("td", {class: "col-category", "data-label": "Category"}, r.bench.category),
        el("td", {class: "num col-changes", "data-label": "Changes"}, String(r.changes)));
      r.cells.forEach((d, ci) => {
        const c = cols[ci];
        const td = document.createElement("td");
        td.setAttribute("data-label", c.name);
        if (!d) {
          td.className = "cell missing";
          td.textContent = "—";
          tr.append(td);
          return;
        }
        if (d.direction === "none") {
          td.className = "num cell " + (d.exact ? "exact" : "quiet");
          td.textContent = d.exact ? "=" : pct(d.delta, true);
        } else {
          const [markText, markClass] = markFor(d);
          const sym = d.direction === "better" ? "✓ " : d.direction === "worse" ? "✗ " : "≠ ";
          td.className = "num cell " + markClass;
          td.title = cellTitle(r, ci);
          td.append(sym + pct(d.delta, true), el("span", {class: "sr-only"}, " " + markText));
        }
        tr.append(td);
      });
      frag.append(tr);
    }
    $("srows").replaceChildren(frag);
    $("series-caption").textContent = unitLabel(unit) + ": the change of each benchmark from one version to the next (" + benchmarks(sorted.length) +
      "; ✓ ✗ ≠ significant after the Holm correction, = exactly the same, grey: no significant change; select a name for its history)";
    markSelected();
  }

  // cellTitle explains cell ci of a matrix row: the two versions, the
  // change with its interval, and the verdict.
  function cellTitle(r, ci) {
    const c = seriesCols[ci], d = r.cells[ci];
    if (!d) return "not compared: no result in both " + c.base + " and " + c.name;
    const [markText, , markTitle] = markFor(d);
    return c.base + " → " + c.name + ": " + pct(d.delta, true) + " " + deltaRange(d) + "; " + markText + " — " + markTitle;
  }

  function seriesBanner(steps) {
    const failed = new Set(), runs = [];
    for (const step of steps) {
      for (const c of step.failed_checks || []) failed.add(c);
      if (!step.interleaved) runs.push(step.base + " → " + step.target);
    }
    const notInter = runs.length ? [runs.join(", ") + ": not measured in one interleaved run, so drift of the machine between the runs can show as changes."] : [];
    return [["Failed system checks:", [...failed]], ["Not interleaved:", notInter]];
  }

  // seriesSteps returns every version's comparison with the previous one:
  // the platform's series file, or without one, out of the version files.
  async function seriesSteps() {
    if (index.series) return (await fetchJSON(dataURL(index.platform, index.series))).steps;
    const files = await Promise.all(index.versions.map((v) => versionFile(v.name).catch(() => null)));
    const steps = [];
    files.forEach((f) => {
      const c = f && (f.comparisons || []).find((x) => x.kind === "previous");
      if (c) steps.push({...c, target: f.version});
    });
    return steps;
  }

  // ---------- selection and the main loop ----------

  function markSelected() {
    for (const id of ["rows", "srows"]) {
      for (const tr of $(id).children) {
        if (tr.getAttribute("data-id") === state.bench) tr.setAttribute("aria-selected", "true");
        else tr.removeAttribute("aria-selected");
      }
    }
  }

  function select(id) {
    state.bench = state.bench === id ? "" : id;
    writeHash();
    markSelected();
    renderDetail().catch(showError);
    if (state.bench) {
      $("detail").focus({preventScroll: true});
      if ($("detail").getBoundingClientRect().top < 0) $("detail").scrollIntoView({block: "start"});
    }
  }

  function setTitle() {
    const t = (platformsFile && platformsFile.title) || "Go performance across releases";
    $("title").replaceChildren(breakable(t));
    document.title = t;
  }

  // mark records a point of drawing for tools/perfpage: the data loaded
  // (perftrack-data), the page drawn (perftrack-ready or
  // perftrack-series-ready), a history drawn (perftrack-detail-ready).
  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);
  }

  let renderSeq = 0;
  let platformsFile = null;
  async function render() {
    document.documentElement.removeAttribute("data-ready");
    normalize();
    writeHash();
    fillControls();
    const seq = ++renderSeq;
    const series = state.view === "series";
    $("compare-view").hidden = series;
    $("compare-table").hidden = series;
    $("series-view").hidden = !series;
    if (series) $("machine-box").hidden = true;
    // Shown before drawing: charts are drawn at their box's width.
    $("results").hidden = false;
    if (series) {
      setStatus("Loading every version…");
      const steps = await seriesSteps();
      if (seq !== renderSeq) return;
      mark("perftrack-data");
      renderBanner(seriesBanner(steps));
      renderSeries(steps);
      $("note").textContent = "Each cell is mage/stats' comparison of a version with the previous one, as Compare makes it: coloured only when significant at alpha=" + index.alpha +
        " after the Holm correction over the metric's tests, or an exact change. Data: " + index.platform + ", " + index.versions.length + " versions.";
    } else {
      const [baseV, targV] = await Promise.all([versionFile(state.base), versionFile(state.target)]);
      if (seq !== renderSeq) return;
      mark("perftrack-data");
      const res = compute(baseV, targV);
      rows = res.rows;
      renderBanner(compareBanner(res.cmp, baseV, targV));
      renderSummary(res.cmp);
      renderDeltas();
      renderTable();
      renderMachine(targV);
      $("note").textContent = "Medians with " + Math.round(index.confidence * 100) + "% confidence intervals, as benchstat computes them; the change and its verdict are mage/stats' (the test named per row, the Holm correction per metric). " +
        "Noise is the coefficient of variation of the samples: low < 5%, moderate < 10%, elevated < 15%, high < 30%, else very high; exact when every sample is one value. Data: " + index.platform + ", " + index.versions.length + " versions.";
    }
    $("results").hidden = false;
    setStatus("");
    await renderDetail();
    if (seq === renderSeq) {
      // Tests and tools/perfpage wait for this attribute and read the mark.
      mark(series ? "perftrack-series-ready" : "perftrack-ready");
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
    try {
      platformsFile = await fetchJSON(dataURL("platforms.json"));
    } catch (err) {
      if (err.notFound) return showEmpty();
      throw err;
    }
    setTitle();
    platforms = platformsFile.platforms || [];
    if (!platforms.length) return showEmpty();
    $("controls").hidden = false;
    await loadPlatform();
  }

  main().catch(showError);
})();
