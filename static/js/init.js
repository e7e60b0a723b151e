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
// GOV.UK's timeout warning (WCAG 2.2.1): two minutes before the idle sign-out, a dialog says so
// and offers to stay signed in. When the time is up it says so and stays on the page, so a form
// part filled in can still be sent: it is kept through signing in again.
(function () {
  var dialog = document.getElementById("app-timeout");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var idle = Number(dialog.getAttribute("data-idle-seconds")) * 1000;
  var warn = Number(dialog.getAttribute("data-warn-seconds")) * 1000;
  var countdown = dialog.querySelector("[data-app-countdown]");
  var active = dialog.querySelector("[data-app-active]");
  var ended = dialog.querySelector("[data-app-ended]");
  var timers = [];
  var endsAt = 0;
  function minutesLeft() {
    var left = Math.max(1, Math.ceil((endsAt - Date.now()) / 60000));
    countdown.textContent = left + (left === 1 ? " minute" : " minutes");
  }
  function show() {
    if (!dialog.open) {
      dialog.showModal();
    }
  }
  function signedOut() {
    timers.forEach(clearTimeout);
    active.hidden = true;
    ended.hidden = false;
    dialog.setAttribute("aria-labelledby", "app-timeout-ended-title");
    var signIn = ended.querySelector("[data-app-sign-in]");
    signIn.href = signIn.pathname + "?next=" + encodeURIComponent(location.pathname + location.search);
    show();
  }
  function start() {
    timers.forEach(clearTimeout);
    endsAt = Date.now() + idle;
    timers = [
      setTimeout(function () {
        minutesLeft();
        show();
      }, Math.max(0, idle - warn)),
      setTimeout(signedOut, idle),
    ];
  }
  dialog.querySelector("[data-app-stay]").addEventListener("click", function () {
    fetch(dialog.getAttribute("data-keep-alive"), { credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.status === 204) {
          dialog.close();
          start();
        } else {
          signedOut();
        }
      })
      .catch(signedOut);
  });
  dialog.querySelector("[data-app-close]").addEventListener("click", function () {
    dialog.close();
  });
  // A request made without leaving the page (results as the user types) renews the session.
  document.addEventListener("htmx:afterRequest", start);
  start();
})();
// "Print this page": a summary prints without the service's header, menus and buttons.
document.querySelectorAll("[data-app-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
