/* Varna consent banner: generated from the organisation's register; no dependencies.
   Blocks <script type="text/plain" data-category> and <iframe data-category data-src> until
   their category is accepted (Lag (2022:482) om elektronisk kommunikation 9 kap. 28 §), records
   each choice (GDPR Art. 7(1)) and makes withdrawing as easy as giving (Art. 7(3)). */
(function () {
  "use strict";
  var C = /*VARNA_CONFIG*/ null;
  if (!C || window.__varnaConsent) return;
  var d = document, tag = d.currentScript;
  var endpoint = (tag && tag.getAttribute("data-endpoint")) || "/api/v1/consent/events";
  var lang = (tag && tag.getAttribute("data-lang")) || (d.documentElement.lang || "sv").slice(0, 2);
  var T = C.texts[lang] || C.texts.sv;
  if (!C.texts[lang]) lang = "sv";
  var OPTIONAL = C.categories.filter(function (c) { return c !== "necessary"; });
  var gpc = !!(navigator.globalPrivacyControl || C.gpc);
  var state = read(), root = null, before = null;

  function read() {
    var m = d.cookie.match(new RegExp("(?:^|; )" + C.cookie + "=([^;]*)"));
    if (!m) return null;
    try {
      var s = JSON.parse(decodeURIComponent(m[1]));
      return s && s.n === C.notice && s.c ? s : null; // a changed notice asks again
    } catch (e) { return null; }
  }

  function write(choices) {
    var id = (state && state.id) || deviceId();
    state = { n: C.notice, id: id, c: choices };
    var secure = location.protocol === "https:" ? "; Secure" : "";
    d.cookie = C.cookie + "=" + encodeURIComponent(JSON.stringify(state)) +
      "; Path=/; Max-Age=" + C.max_age + "; SameSite=Lax" + secure;
  }

  function deviceId() {
    var b = new Uint8Array(18), s = "";
    (window.crypto || window.msCrypto).getRandomValues(b);
    for (var i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function granted(cat) {
    if (cat === "marketing" && gpc) return false; // Global Privacy Control refuses marketing
    return cat === "necessary" || !!(state && state.c[cat]);
  }

  // Google Consent Mode v2: denied by default, updated on every choice.
  function gtagCall() {
    if (typeof window.gtag === "function") window.gtag.apply(window, arguments);
    else (window.dataLayer = window.dataLayer || []).push(arguments);
  }
  function signals() {
    var ad = granted("marketing") ? "granted" : "denied";
    return {
      ad_storage: ad, ad_user_data: ad, ad_personalization: ad,
      analytics_storage: granted("statistics") ? "granted" : "denied",
      functionality_storage: "granted", personalization_storage: granted("preferences") ? "granted" : "denied",
      security_storage: "granted"
    };
  }

  function unblock() {
    var nodes = d.querySelectorAll('script[type="text/plain"][data-category]');
    for (var i = 0; i < nodes.length; i++) {
      var old = nodes[i];
      if (!granted(old.getAttribute("data-category"))) continue;
      var s = d.createElement("script");
      for (var j = 0; j < old.attributes.length; j++) {
        var a = old.attributes[j];
        if (a.name !== "type") s.setAttribute(a.name, a.value);
      }
      if (old.getAttribute("data-type")) s.type = old.getAttribute("data-type");
      if (!old.src) s.text = old.text;
      old.parentNode.replaceChild(s, old);
    }
    var frames = d.querySelectorAll("iframe[data-category][data-src]");
    for (var k = 0; k < frames.length; k++) {
      if (granted(frames[k].getAttribute("data-category")) && !frames[k].getAttribute("src"))
        frames[k].setAttribute("src", frames[k].getAttribute("data-src"));
    }
  }

  // The cookies a refused category declared, removed on this host and its parent domains.
  function removeRefused() {
    var names = d.cookie ? d.cookie.split("; ").map(function (c) { return c.split("=")[0]; }) : [];
    var host = location.hostname.split("."), domains = [""];
    for (var i = 0; i < host.length - 1; i++) domains.push("; Domain=." + host.slice(i).join("."));
    C.services.forEach(function (svc) {
      if (granted(svc.category)) return;
      svc.cookies.forEach(function (ck) {
        var pattern = new RegExp("^" + ck.name.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
        names.forEach(function (n) {
          if (!pattern.test(n)) return;
          domains.forEach(function (dom) {
            d.cookie = n + "=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT" + dom;
          });
        });
      });
    });
  }

  function apply(record) {
    gtagCall("consent", "update", signals());
    removeRefused();
    unblock();
    if (record) post();
    try { d.dispatchEvent(new CustomEvent("varna:consent", { detail: state.c })); } catch (e) { /* old browsers */ }
  }

  function post() {
    var choices = { necessary: true };
    ["preferences", "statistics", "marketing"].forEach(function (c) { choices[c] = granted(c); });
    var body = JSON.stringify({
      device_id: state.id, choices: choices, notice: C.notice,
      policy_version: C.policy_version, channel: "banner"
    });
    try {
      fetch(endpoint, { method: "POST", keepalive: true, credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: body })["catch"](function () {});
    } catch (e) { /* the choice still applies on this device */ }
  }

  function choose(all) {
    var c = {};
    OPTIONAL.forEach(function (cat) { c[cat] = all && !(gpc && cat === "marketing"); });
    decide(c);
  }

  function decide(c) { write(c); close(); apply(true); }

  // ---- the dialog ----------------------------------------------------------------------
  var CSS = ".vcb{position:fixed;z-index:2147483000;inset:auto 0 0 0;display:flex;justify-content:center;padding:1rem;font:16px/1.5 system-ui,sans-serif}" +
    ".vcb-box{background:#fff;color:#1a1a1a;max-width:40rem;width:100%;max-height:90vh;overflow:auto;border:2px solid #1a1a1a;border-radius:.5rem;padding:1.25rem;box-shadow:0 .5rem 2rem rgba(0,0,0,.3)}" +
    ".vcb h2{font-size:1.25rem;margin:0 0 .5rem}.vcb p{margin:0 0 1rem}" +
    ".vcb-row{display:flex;flex-wrap:wrap;gap:.75rem}.vcb button{font:inherit;padding:.6rem 1.2rem;border-radius:.3rem;cursor:pointer;border:2px solid #0b3d6e;flex:1 1 10rem}" +
    ".vcb-main{background:#0b3d6e;color:#fff}.vcb-alt{background:#fff;color:#0b3d6e}" +
    ".vcb button:focus-visible,.vcb input:focus-visible,.vcb summary:focus-visible{outline:3px solid #c25e00;outline-offset:2px}" +
    ".vcb fieldset{border:1px solid #767676;border-radius:.3rem;margin:0 0 .75rem;padding:.5rem .75rem}" +
    ".vcb legend{font-weight:600}.vcb table{border-collapse:collapse;font-size:.875rem;width:100%}.vcb th,.vcb td{text-align:left;padding:.2rem .4rem;border-top:1px solid #ddd}" +
    ".vcb a{color:#0b3d6e}.vcb-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}";

  function style() {
    if (d.getElementById("vcb-style") || (d.adoptedStyleSheets && window.__varnaSheet)) return;
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      d.adoptedStyleSheets = d.adoptedStyleSheets.concat([sheet]);
      window.__varnaSheet = sheet;
    } catch (e) {
      var el = d.createElement("style");
      el.id = "vcb-style";
      el.textContent = CSS;
      d.head.appendChild(el);
    }
  }

  function el(name, attrs, kids) {
    var e = d.createElement(name);
    for (var k in attrs) if (attrs.hasOwnProperty(k)) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (kid) { if (kid) e.appendChild(kid); });
    return e;
  }

  function button(text, cls, data, fn) {
    var b = el("button", { type: "button", "class": cls, text: text });
    b.setAttribute(data, "");
    b.addEventListener("click", fn);
    return b;
  }

  function category(cat) {
    var id = "vcb-" + cat, svcs = C.services.filter(function (s) { return s.category === cat; });
    var box = el("input", { type: "checkbox", id: id, name: cat, "aria-describedby": id + "-d" });
    box.setAttribute("data-varna-category", cat);
    if (cat === "necessary") { box.checked = true; box.disabled = true; }
    else if (cat === "marketing" && gpc) box.disabled = true;
    else box.checked = !!(state && state.c[cat]); // nothing pre-ticked before a choice
    var note = cat === "necessary" ? T.always : (cat === "marketing" && gpc ? T.gpc : "");
    var rows = [];
    svcs.forEach(function (s) {
      s.cookies.forEach(function (ck) {
        rows.push(el("tr", {}, [el("td", { text: ck.name }), el("td", { text: s.provider }),
          el("td", { text: ck.purpose[lang] || s.purpose[lang] }), el("td", { text: ck.lifetime[lang] })]));
      });
    });
    var table = rows.length ? el("table", {}, [el("caption", { "class": "vcb-sr", text: T[cat] }),
      el("thead", {}, [el("tr", {}, [el("th", { scope: "col", text: T.cookie }), el("th", { scope: "col", text: T.provider }),
        el("th", { scope: "col", text: T.purpose }), el("th", { scope: "col", text: T.lifetime })])]),
      el("tbody", {}, rows)]) : null;
    return el("fieldset", {}, [el("legend", {}, [box, d.createTextNode(" "), el("label", { "for": id, text: T[cat] })]),
      el("p", { id: id + "-d", text: T[cat + "_about"] + (note ? " " + note : "") }),
      table ? el("details", {}, [el("summary", { text: T.details }), table]) : null]);
  }

  function open(settings) {
    close();
    style();
    before = d.activeElement;
    var title = el("h2", { id: "vcb-title", text: settings ? T.settings_title : T.title });
    var kids = [title];
    if (settings) {
      var form = el("form", {}, C.categories.map(category));
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      kids.push(el("p", { id: "vcb-text", text: T.settings_intro }), form);
      kids.push(el("div", { "class": "vcb-row" }, [
        button(T.accept, "vcb-main", "data-varna-accept", function () { choose(true); }),
        button(T.reject, "vcb-main", "data-varna-reject", function () { choose(false); }),
        button(T.save, "vcb-alt", "data-varna-save", function () {
          var c = {};
          OPTIONAL.forEach(function (cat) { c[cat] = !!form.elements[cat].checked && !(gpc && cat === "marketing"); });
          decide(c);
        })]));
    } else {
      var intro = el("p", { id: "vcb-text", text: T.intro + " " });
      if (C.policy_url) intro.appendChild(el("a", { href: C.policy_url[lang], text: T.policy }));
      kids.push(intro);
      // "Acceptera alla" and "Avvisa alla": the same style, size and layer (PTS 2023; EDPB 2023)
      kids.push(el("div", { "class": "vcb-row" }, [
        button(T.accept, "vcb-main", "data-varna-accept", function () { choose(true); }),
        button(T.reject, "vcb-main", "data-varna-reject", function () { choose(false); }),
        button(T.settings, "vcb-alt", "data-varna-settings", function () { open(true); })]));
    }
    var box = el("div", { "class": "vcb-box", role: "dialog", "aria-modal": "true",
      "aria-labelledby": "vcb-title", "aria-describedby": "vcb-text", tabindex: "-1" }, kids);
    root = el("div", { "class": "vcb", "data-varna-banner": settings ? "settings" : "notice", lang: lang }, [box]);
    root.addEventListener("keydown", trap);
    d.body.appendChild(root);
    box.focus(); // the dialog, not one of its buttons: neither answer is suggested
  }

  // Tab and Shift+Tab stay in the dialog; Escape closes a reopened one (a choice exists).
  function trap(e) {
    if (e.key === "Escape" && state) { close(); return; }
    if (e.key !== "Tab") return;
    var f = root.querySelectorAll("button,input:not([disabled]),summary,a[href]");
    var first = f[0], last = f[f.length - 1];
    var box = root.firstChild;
    if (e.shiftKey && (d.activeElement === first || d.activeElement === box)) { last.focus(); e.preventDefault(); }
    else if (!e.shiftKey && d.activeElement === last) { first.focus(); e.preventDefault(); }
  }

  function close() {
    if (!root) return;
    root.parentNode.removeChild(root);
    root = null;
    if (before && before.focus) before.focus();
  }

  window.__varnaConsent = {
    open: function () { open(true); },
    choices: function () { return state ? state.c : null; },
    notice: C.notice
  };
  gtagCall("consent", "default", (function () {
    var s = signals(); s.wait_for_update = 500; return s;
  })());
  if (state) apply(false);
  d.addEventListener("click", function (e) {
    var t = e.target && e.target.closest && e.target.closest("[data-varna-consent-open]");
    if (t) { e.preventDefault(); open(true); }
  });
  function start() { if (!state) open(false); }
  if (d.body) start(); else d.addEventListener("DOMContentLoaded", start);
})();
