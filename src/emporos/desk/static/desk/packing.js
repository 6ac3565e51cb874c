// Emporos packing table. A keyboard-wedge scanner types a code and Enter into the scan box:
// an item's SKU confirms one unit of its line, another order's number opens that order, anything
// else is shown as not in this order (a visual alert, no sound). Tapping a line confirms a unit
// too. The counts live in the form's inputs, so closing the package posts them; the server
// checks them again. Without JavaScript the counts are typed into those inputs.
(() => {
  "use strict";
  const root = document.querySelector("[data-packing]");
  const scanForm = document.getElementById("scan-form");
  const scan = scanForm ? scanForm.querySelector("input[name=order]") : null;
  const alertBox = document.getElementById("scan-alert");
  const status = document.getElementById("pack-status");
  const form = document.getElementById("pack-form");
  const closeButton = document.getElementById("close-package");
  const weightOutput = document.getElementById("parcel-weight");
  const heavyNote = document.getElementById("too-heavy");
  const language = document.documentElement.lang || "en";
  const ORDER_NUMBER = /^(em-?)?\d+$/i;

  const fill = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (match, name) => (name in values ? String(values[name]) : match));
  const kilograms = (grams) => new Intl.NumberFormat(language, { maximumFractionDigits: 3 }).format(grams / 1000);
  const focusScan = () => { if (scan) { scan.focus(); } };

  let alertTimer = 0;
  const warn = (text) => {
    if (!alertBox || !scanForm) { return; }
    alertBox.textContent = text;
    alertBox.hidden = false;
    scanForm.classList.remove("is-alert");
    void scanForm.offsetWidth; // restart the flash when the same alert comes twice
    scanForm.classList.add("is-alert");
    window.clearTimeout(alertTimer);
    alertTimer = window.setTimeout(() => scanForm.classList.remove("is-alert"), 1600);
  };
  const clearWarning = () => {
    if (alertBox) { alertBox.hidden = true; alertBox.textContent = ""; }
  };
  const say = (text) => { if (status) { status.textContent = text; } };

  // --- the closed package: print its label from the frame, or open it in a tab ---
  const printLink = document.querySelector("[data-print-label]");
  const frame = document.getElementById("label-frame");
  if (printLink && frame) {
    printLink.addEventListener("click", (event) => {
      try {
        frame.contentWindow.focus();
        frame.contentWindow.print();
        event.preventDefault();
      } catch (error) {
        // The browser cannot print the frame: the link opens the label in a new tab instead.
      }
      window.setTimeout(focusScan, 0);
    });
  }

  if (!root) { return; }
  const lines = Array.from(root.querySelectorAll(".packline"));
  const messages = root.dataset;
  const input = (line) => line.querySelector("[data-count-input]");
  const required = (line) => parseInt(line.dataset.required, 10) || 0;
  const count = (line) => Math.max(0, parseInt(input(line).value, 10) || 0);
  const units = () => lines.reduce((sum, line) => sum + count(line), 0);
  const isComplete = () => lines.length > 0 && lines.every((line) => count(line) >= required(line));
  const chosenPackaging = () => root.querySelector("input[name=packaging]:checked");
  const packagingChoices = root.querySelectorAll("input[name=packaging]");
  const tracking = root.querySelector("input[name=tracking_number]");

  // SKUs of the order that do not go into this parcel: they wait, or they are held.
  const staying = (attribute) =>
    new Set(Array.from(root.querySelectorAll(`[${attribute}]`)).map((element) => element.getAttribute(attribute)));
  const follows = staying("data-follows");
  const held = staying("data-held");

  const find = (code) => {
    const exact = lines.find((line) => line.dataset.sku === code);
    if (exact) { return exact; }
    const upper = code.toUpperCase();
    return lines.find((line) => line.dataset.sku.toUpperCase() === upper);
  };

  const update = () => {
    const packaging = chosenPackaging();
    let grams = lines.reduce((sum, line) => sum + count(line) * (parseInt(line.dataset.weight, 10) || 0), 0);
    if (packaging) { grams += parseInt(packaging.dataset.weight, 10) || 0; }
    if (weightOutput) { weightOutput.textContent = fill(messages.msgWeight, { weight: kilograms(grams) }); }
    if (heavyNote) {
      const most = packaging ? parseInt(packaging.dataset.max, 10) : NaN;
      heavyNote.textContent = most && grams > most ? fill(messages.msgHeavy, { weight: packaging.dataset.maxText }) : "";
    }
    if (form) { form.classList.toggle("is-complete", isComplete()); }
  };

  const setCount = (line, value) => {
    const bounded = Math.max(0, Math.min(required(line), value));
    input(line).value = String(bounded);
    line.querySelector("[data-count]").textContent = String(bounded);
    line.classList.toggle("is-complete", bounded >= required(line));
    line.classList.remove("is-wrong");
    update();
  };

  const bump = (line) => {
    line.classList.remove("is-bumped");
    void line.offsetWidth;
    line.classList.add("is-bumped");
  };

  const confirmUnit = (line) => {
    const sku = line.dataset.sku;
    if (count(line) >= required(line)) {
      warn(fill(messages.msgFull, { sku }));
      line.classList.add("is-wrong");
      return;
    }
    clearWarning();
    setCount(line, count(line) + 1);
    bump(line);
    say(isComplete() ? messages.msgComplete : fill(messages.msgCounted, { sku, count: count(line), required: required(line) }));
  };

  const readyToClose = () =>
    isComplete() && (packagingChoices.length === 0 || chosenPackaging()) && (!tracking || tracking.value.trim());

  if (scanForm && scan) {
    scanForm.addEventListener("submit", (event) => {
      const code = scan.value.trim();
      if (!code) {
        event.preventDefault();
        // Enter on an empty box closes a package that is complete, so the keyboard never leaves the box.
        if (form && readyToClose()) { form.requestSubmit(closeButton); }
        return;
      }
      const line = find(code);
      if (line) {
        event.preventDefault();
        scan.value = "";
        confirmUnit(line);
        return;
      }
      if (follows.has(code) || held.has(code)) {
        event.preventDefault();
        scan.value = "";
        warn(fill(follows.has(code) ? messages.msgFollows : messages.msgHeld, { sku: code }));
        return;
      }
      if (ORDER_NUMBER.test(code)) {
        // Another slip: open that order, after asking when units were confirmed here.
        if (units() > 0 && !window.confirm(messages.msgLeave)) {
          event.preventDefault();
          scan.value = "";
        }
        return;
      }
      event.preventDefault();
      scan.value = "";
      warn(fill(messages.msgWrong, { code }));
    });
  }

  lines.forEach((line) => {
    const tap = line.querySelector(".packline__tap");
    if (tap) { tap.addEventListener("click", () => { confirmUnit(line); focusScan(); }); }
    const undo = line.querySelector("[data-undo]");
    if (undo) {
      undo.addEventListener("click", () => { clearWarning(); setCount(line, count(line) - 1); focusScan(); });
    }
    input(line).addEventListener("input", update);
  });

  packagingChoices.forEach((choice) => {
    choice.addEventListener("change", update);
    // A tap or a click hands the focus back to the scan box; arrow keys keep moving between boxes.
    choice.addEventListener("click", (event) => { if (event.detail > 0) { focusScan(); } });
  });

  if (form) {
    form.addEventListener("submit", (event) => {
      if (units() === 0) {
        event.preventDefault();
        warn(messages.msgEmpty);
        focusScan();
        return;
      }
      if (!isComplete() && !window.confirm(messages.msgPartial)) {
        event.preventDefault();
        focusScan();
        return;
      }
      // One press closes one package: the button rests until the next page.
      window.setTimeout(() => { if (closeButton) { closeButton.disabled = true; } }, 0);
    });
  }

  update();
  focusScan();
})();
