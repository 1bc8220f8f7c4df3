/* The book's charts arrive as SVG drawn at build time (hizones.analysis.charts). This script makes
   each one interactive once it nears the viewport: it fetches the chart library the first time a
   chart needs it, draws the chart from its spec into a detached element at the same size, and
   swaps it in. A chart that cannot be drawn keeps its static SVG. */
(function () {
  "use strict";
  if (window.hzCharts) { window.hzCharts.scan(); return; }
  var loading = null;

  function library(el) {
    if (window.vegaEmbed) return Promise.resolve();
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = (document.documentElement.dataset.content_root || "") + "_static/" + el.dataset.hzBundle;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("the chart library did not load")); };
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  /* The same estimate as hizones.analysis.wrapping.text_width and wrap: a Chinese character is a
     square, Latin text half; lines break at spaces and between Chinese characters (closing
     punctuation stays with what precedes it), and pieces join back as they were written. */
  function textWidth(text, size, latin) {
    var w = 0;
    for (var i = 0; i < text.length; i++) w += text.charCodeAt(i) > 0x2E80 ? size : size * latin;
    return w;
  }
  var PIECE = /[A-Za-z0-9.,%\u2013\-\/()'\u2019:;&+]+|\S/g, CLOSING = /^[\u3001\u3002\uff0c\uff09\uff1a\uff1b\uff01\uff1f\u300d\u201d\u300f\u300b]/;
  function pieces(text) {
    var out = [];
    text.split(" ").forEach(function (chunk, i) {
      (chunk.match(PIECE) || []).forEach(function (p, j) {
        if (out.length && j && CLOSING.test(p)) out[out.length - 1][1] += p;
        else out.push([i > 0 && j === 0, p]);
      });
    });
    return out.length ? out : [[false, text]];
  }
  function wrap(text, width, size, latin) {
    var lines = [], line = "";
    pieces(text).forEach(function (piece) {
      var next = line + (piece[0] ? " " : "") + piece[1];
      if (line && textWidth(next, size, latin || 0.5) > width) { lines.push(line); line = piece[1]; }
      else { line = line ? next : piece[1]; }
    });
    return lines.concat([line]);
  }

  /* On a column narrower than the chart was drawn for (a phone), draw it at the column's width
     so its text keeps its size, and wrap its title lines again. */
  function fitted(spec, el) {
    var meta = spec.usermeta && spec.usermeta.hz, width = Math.floor(el.clientWidth);
    if (!meta || typeof spec.width !== "number" || width >= spec.width - 40) return spec;
    var out = Object.assign({}, spec, {width: width});
    var heading = wrap(meta.title, width - 16, 16, 0.6);
    out.title = Object.assign({}, spec.title, {
      text: heading.length > 1 ? heading : meta.title,
      subtitle: (meta.subtitle ? wrap(meta.subtitle, width - 16, 12) : []).concat(wrap(meta.source, width - 16, 12))
    });
    return out;
  }

  function hydrate(el) {
    if (el.dataset.hzState) return;
    var source = document.getElementById(el.id + "-spec");
    if (!source) return;
    el.dataset.hzState = "loading";
    var given = JSON.parse(source.textContent);
    library(el).then(function () {
      var live = document.createElement("div");
      live.className = "hz-live";
      return window.vegaEmbed(live, fitted(given.spec, el), given.options).then(function () {
        var svg = live.querySelector("svg");
        if (svg && !svg.getAttribute("viewBox")) {
          // as the static SVG has: without a viewBox the drawing would not scale with its column
          svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
        }
        if (svg) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", el.getAttribute("aria-label"));
        }
        var before = el.getBoundingClientRect().height;
        el.replaceChildren(live);
        // The browser may measure text a pixel or two apart from the renderer that drew the static
        // copy (CJK labels): keep the box, so nothing below it moves (larger changes are real).
        var after = el.getBoundingClientRect().height;
        if (after < before && before - after < 8) el.style.minHeight = before + "px";
        el.dataset.hzState = "live";
      });
    }).catch(function (e) {
      el.dataset.hzState = "static";
      if (window.console) console.warn("chart " + el.id + " stays static: " + e);
    });
  }

  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { observer.unobserve(entry.target); hydrate(entry.target); }
    });
  }, {rootMargin: "400px 0px"}) : null;

  function scan() {
    document.querySelectorAll(".hz-chart:not([data-hz-state]):not([data-hz-seen])").forEach(function (el) {
      el.dataset.hzSeen = "1";
      if (observer) observer.observe(el); else hydrate(el);
    });
  }

  window.hzCharts = {scan: scan, hydrate: hydrate};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan); else scan();
})();
