// Emporos order desk: small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

// Forms marked data-confirm ask first: for actions that cannot be undone.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const submitter = event.submitter;
  const question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// Filter forms marked data-drop-empty send only the fields that hold a value other than their
// default, so the address keeps just the filters in use (the server redirects one with empty ones).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || !form.matches || !form.matches("form[data-drop-empty]")) { return; }
  form.querySelectorAll("input[name], select[name], textarea[name]").forEach((field) => {
    const isDefault = field.dataset.default !== undefined && field.value === field.dataset.default;
    if ((field.value === "" || isDefault) && !field.disabled) {
      field.disabled = true;
      // Enabled again once the page is left, so the back button shows the form as it was.
      window.addEventListener("pagehide", () => { field.disabled = false; }, { once: true });
    }
  });
});

document.addEventListener("change", (event) => {
  const element = event.target;
  // "Select all" checkbox of a bulk table.
  if (element.matches && element.matches("input[data-select-all]")) {
    const table = element.closest("table");
    table.querySelectorAll("input[type=checkbox][name=orders]").forEach((box) => { box.checked = element.checked; });
  }
  if (element.matches && element.matches("input[type=checkbox][name=orders], input[data-select-all]")) {
    const count = document.querySelectorAll("input[type=checkbox][name=orders]:checked").length;
    document.querySelectorAll("[data-selected-count]").forEach((node) => { node.textContent = String(count); });
  }
});

// Polling regions pause while the staff member is working inside them (a ticked box, a focused field).
document.addEventListener("htmx:beforeRequest", (event) => {
  const region = event.detail.elt;
  if (region.hasAttribute && region.hasAttribute("data-poll")) {
    const busy = region.querySelector("input:checked, :focus") || document.activeElement?.closest?.("[data-poll]") === region && document.activeElement !== region;
    if (busy) { event.preventDefault(); }
  }
});
