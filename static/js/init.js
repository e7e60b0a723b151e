window.GOVUKFrontend.initAll();
if (window.MOJFrontend && window.MOJFrontend.initAll) {
  window.MOJFrontend.initAll();
}
// A table box that scrolls sideways (a narrow screen, or zoom) can be focused and scrolled with
// the keyboard, and says which table it holds.
document.querySelectorAll(".app-table-scroll").forEach(function (box) {
  if (box.scrollWidth > box.clientWidth) {
    var caption = box.querySelector("caption");
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
  }
});
// A long list of schools becomes a box to type in (GOV.UK's accessible autocomplete). The
// select stays in the form underneath, so the page works the same without JavaScript.
if (window.accessibleAutocomplete) {
  document.querySelectorAll('select[data-module="app-autocomplete"]').forEach(function (select) {
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: "",
      showAllValues: true,
      // No typed-ahead hint: its extra, unlabelled input is a form field without a label.
      autoselect: false,
    });
  });
}
// Radios that reveal the questions of the chosen answer (GOV.UK's conditional reveal). Done
// here rather than by GOV.UK Frontend's radios, which mark each radio aria-expanded: ARIA does
// not allow that on a radio, and the questions follow the radio in reading order anyway.
document.querySelectorAll("[data-app-reveal]").forEach(function (group) {
  var radios = group.querySelectorAll('input[type="radio"][data-app-controls]');
  function update() {
    radios.forEach(function (radio) {
      var panel = document.getElementById(radio.getAttribute("data-app-controls"));
      if (panel) {
        panel.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
      }
    });
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
});
