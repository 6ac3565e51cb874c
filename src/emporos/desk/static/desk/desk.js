// Emporos order desk: small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

// An amount as staff type it: "16,50", "16.50", "1.234,50", "1 234,50" (the last separator is the
// decimal one). NaN when the page cannot tell (a lone separator before three digits, stray
// characters): the server reads it then, and says what it means.
const readAmount = (text) => {
  const plain = text.replace(/[\s\u00a0\u202f\u200e\u200f]/g, "");
  if (!/^[0-9]+([.,][0-9]+)*$/.test(plain)) { return NaN; }
  const last = Math.max(plain.lastIndexOf(","), plain.lastIndexOf("."));
  if (last === -1) { return Number(plain); }
  const fraction = plain.slice(last + 1);
  const whole = plain.slice(0, last);
  if (!/[.,]/.test(whole) && fraction.length === 3) { return NaN; }
  return Number(`${whole.replace(/[.,]/g, "")}.${fraction}`);
};

// What the page knows the server would refuse: an amount above data-max (what is owed, what can be
// given back). Said next to the field, as the browser says a missing one, and nothing is asked.
const refusedHere = (form) => {
  for (const field of form.querySelectorAll("input[data-max]")) {
    field.setCustomValidity("");
    const amount = readAmount(field.value);
    if (!Number.isNaN(amount) && amount > Number(field.dataset.max)) {
      field.setCustomValidity(field.dataset.maxMessage || "");
      field.reportValidity();
      return true;
    }
  }
  return false;
};

// Whether the page can read every amount of the form; when it cannot, the server answers first.
const amountsReadable = (form) =>
  Array.from(form.querySelectorAll("input[data-max]")).every((field) => !Number.isNaN(readAmount(field.value)));

// Forms marked data-confirm ask first, for actions that cannot be undone; only once what was typed
// is valid: the browser checks required fields and patterns before this event, this checks the
// rest the page knows, and input the page cannot read goes to the server without a question.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (refusedHere(form)) {
    event.preventDefault();
    return;
  }
  const submitter = event.submitter;
  const question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
  if (question && amountsReadable(form) && !window.confirm(question)) {
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

// A field refused here is editable again at once.
document.addEventListener("input", (event) => {
  if (event.target.matches && event.target.matches("input[data-max]")) { event.target.setCustomValidity(""); }
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
