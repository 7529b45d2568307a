/*
 * Small accessibility helpers for every staff page (loaded by templates/base.html, deferred).
 * A file, not inline code: the Content-Security-Policy allows no inline script. Written for
 * Chromium 90 (the county's browsers): no newer syntax or API.
 *
 * - After a refused submit, the focus goes to the error summary (.form-errors) or, without
 *   one, to the first invalid field, so that a keyboard or screen-reader user lands on what
 *   to fix instead of the top of the page.
 * - A horizontal scroll area (.table-wrap, .scroll-region) that actually scrolls is made
 *   reachable by keyboard: tabindex="0", role="region" and a label (the caption or heading
 *   of what it holds, else the body's data-scroll-label), unless the template gave them.
 * - A label.check whose box or radio is ticked carries .is-checked (what `:has(input:checked)`
 *   did, which Chromium 90-93 does not know).
 * - Printing opens every folded section (<details>) and closes them again afterwards.
 */
(function () {
  "use strict";

  function focusErrors() {
    var main = document.getElementById("main") || document.body;
    var summary = main.querySelector(".form-errors");
    var target = summary;
    if (!target) {
      target = main.querySelector(
        ".field--error input:not([type=hidden]), .field--error select, .field--error textarea, " +
          "[aria-invalid=true]"
      );
    }
    if (!target) return;
    if (target === summary && !summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  function labelOf(area) {
    var caption = area.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var section = area.closest("section, .card");
    var heading = section && section.querySelector("h2, h3, .card__title");
    if (heading && heading.textContent.trim()) return heading.textContent.trim();
    return document.body.getAttribute("data-scroll-label") || "";
  }

  function reachScrollAreas() {
    var areas = document.querySelectorAll(".table-wrap, .scroll-region");
    for (var i = 0; i < areas.length; i++) {
      var area = areas[i];
      if (area.scrollWidth <= area.clientWidth + 1 || area.hasAttribute("tabindex")) continue;
      area.setAttribute("tabindex", "0");
      if (!area.hasAttribute("role")) area.setAttribute("role", "region");
      if (!area.hasAttribute("aria-label") && !area.hasAttribute("aria-labelledby")) {
        var label = labelOf(area);
        if (label) area.setAttribute("aria-label", label);
      }
    }
  }

  function markChecked() {
    var labels = document.querySelectorAll("label.check");
    for (var i = 0; i < labels.length; i++) {
      var input = labels[i].querySelector("input[type=checkbox], input[type=radio]");
      labels[i].classList.toggle("is-checked", !!(input && input.checked));
    }
  }

  var opened = [];
  function openForPrint() {
    var folded = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < folded.length; i++) {
      folded[i].open = true;
      opened.push(folded[i]);
    }
  }
  function closeAfterPrint() {
    while (opened.length) opened.pop().open = false;
  }

  function start() {
    markChecked();
    reachScrollAreas();
    focusErrors();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  document.addEventListener("change", markChecked);
  window.addEventListener("load", reachScrollAreas);
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(reachScrollAreas, 150);
  });
  window.addEventListener("beforeprint", openForPrint);
  window.addEventListener("afterprint", closeAfterPrint);
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    var onChange = function (event) {
      if (event.matches) openForPrint();
    };
    if (print.addEventListener) print.addEventListener("change", onChange);
    else if (print.addListener) print.addListener(onChange);
  }
})();
