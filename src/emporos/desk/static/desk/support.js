// The support desk's ticket page: the canned-reply picker fills the answer without a reload, and
// the collision warning learns whether this agent is typing an answer. Without it the page works:
// "Insert" reloads the page with the answer filled in, and presence says "viewing".
(() => {
  const text = () => document.querySelector("[data-reply-text]");
  const replying = document.getElementById("is-replying");
  const markReplying = () => {
    const field = text();
    if (replying && field) { replying.value = field.value.trim() ? "1" : "0"; }
  };
  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("[data-reply-text]")) { markReplying(); }
  });
  document.addEventListener("change", (event) => {
    const picker = event.target;
    if (!picker.matches || !picker.matches("[data-macro-picker]") || !picker.value) { return; }
    const template = document.getElementById(`macro-text-${picker.value}`);
    const field = text();
    if (!template || !field) { return; }
    field.value = template.content.textContent;
    const macroId = document.querySelector("[data-macro-id]");
    if (macroId) { macroId.value = picker.value; }
    const status = picker.selectedOptions[0].dataset.status;
    if (status) {
      const radio = document.querySelector(`#reply-form input[name="reply-status"][value="${status}"]`);
      if (radio) { radio.checked = true; }
    }
    markReplying();
    field.focus();
  });
  markReplying();
})();
