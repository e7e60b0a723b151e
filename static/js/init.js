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
