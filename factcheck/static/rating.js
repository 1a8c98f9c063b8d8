// The rating page: bring the statement into view in its article, and the keyboard shortcuts.
//
// Shortcuts live in the markup: every control a key works has data-shortcut="<key>" (the key as
// aria-keyshortcuts names it), so this file holds no list of its own. While the shortcuts are on, each such
// control also carries aria-keyshortcuts, which screen readers announce; picking a verdict or a confidence by
// key is announced in a live region. The switch is kept in localStorage, under a key per member.
(() => {
  "use strict";

  const root = document.getElementById("rating");
  if (!root) return;
  const form = document.getElementById("rating-form");
  const dialog = document.getElementById("shortcuts");
  const openButton = document.getElementById("shortcuts-open");
  const toggle = document.getElementById("shortcuts-enabled");
  const status = document.getElementById("shortcut-status");
  const hint = document.getElementById("shortcuts-hint");
  const storageKey = root.dataset.shortcutsKey;
  const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

  // --- The statement in its article: scrolled to the middle of the article's own box, never the page.
  const box = document.getElementById("article-context");
  const mark = document.getElementById("highlight");
  if (box && mark) {
    const offset = mark.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTop = Math.max(0, offset - (box.clientHeight - mark.offsetHeight) / 2);
    mark.classList.add("is-current");
  }

  // --- The switch.
  const readEnabled = () => {
    try {
      return localStorage.getItem(storageKey) !== "off";
    } catch {
      return true; // storage blocked: the default, on
    }
  };
  let enabled = readEnabled();

  const ariaKeys = (key) => {
    if (key === "Control+Enter") return "Control+Enter Meta+Enter";
    if (key === "?") return "Shift+/";
    return key;
  };

  const apply = () => {
    root.classList.toggle("shortcuts-on", enabled);
    document.querySelectorAll("[data-shortcut]").forEach((control) => {
      if (enabled) control.setAttribute("aria-keyshortcuts", ariaKeys(control.dataset.shortcut));
      else control.removeAttribute("aria-keyshortcuts");
    });
    if (toggle) toggle.checked = enabled;
    if (hint) {
      hint.textContent = enabled
        ? "Shortcuts: keys 1 to 8 pick a verdict, Shift with 1 to 5 the confidence, " +
          "Control+Enter submits and opens the next statement. Question mark lists them all."
        : "";
    }
  };

  if (isMac) {
    document.querySelectorAll("[data-mac-label]").forEach((el) => {
      el.textContent = el.dataset.macLabel;
    });
  }
  if (openButton) openButton.hidden = false;
  apply();

  toggle?.addEventListener("change", () => {
    enabled = toggle.checked;
    try {
      localStorage.setItem(storageKey, enabled ? "on" : "off");
    } catch {
      // storage blocked: the switch holds for this page only
    }
    apply();
    announce(enabled ? "Keyboard shortcuts on." : "Keyboard shortcuts off.");
  });

  const openDialog = () => {
    if (dialog && !dialog.open) dialog.showModal();
  };
  openButton?.addEventListener("click", openDialog);

  // --- Announcements: cleared first so the same words twice are read twice.
  function announce(words) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = words;
    }, 50);
  }

  // --- Unsaved changes, so J/K never throw a half-made rating away unasked.
  const snapshot = () => (form ? new URLSearchParams(new FormData(form)).toString() : "");
  const initial = snapshot();
  const isDirty = () => snapshot() !== initial;

  const rationale = document.getElementById("id_rationale");

  const isTyping = (target) =>
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      target.matches("textarea, select, input:not([type=radio]):not([type=checkbox]):not([type=button]):not([type=submit]):not([type=reset])"));

  // The key as data-shortcut names it: "3", "Shift+3", "J", "?", "Control+Enter"; "" for anything else.
  const keyName = (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey) return "Control+Enter";
    if (event.ctrlKey || event.metaKey || event.altKey) return "";
    if (event.key === "?") return "?";
    // Digits by their physical key, so Shift+3 is "Shift+3" whatever character the layout gives it.
    const digit = /^(?:Digit|Numpad)([0-9])$/.exec(event.code || "");
    if (digit && (event.code.startsWith("Digit") || /^[0-9]$/.test(event.key))) {
      return (event.shiftKey ? "Shift+" : "") + digit[1];
    }
    if (event.shiftKey) return "";
    if (/^[a-z]$/i.test(event.key)) return event.key.toUpperCase();
    return "";
  };

  const run = (control, key) => {
    if (control.disabled || control.closest("fieldset:disabled")) return false;
    if (control.type === "radio") {
      control.checked = true;
      control.dispatchEvent(new Event("change", { bubbles: true }));
      announce(control.dataset.announce || "");
      // A verdict picked by key leads on to the rationale: the next thing to write.
      if (control.name === "verdict" && rationale && !rationale.disabled) rationale.focus();
      return true;
    }
    if (key === "Control+Enter") {
      form.requestSubmit(control);
      return true;
    }
    if (control.tagName === "A") {
      if (isDirty() && !window.confirm("Your changes to this rating are not saved. Leave this statement anyway?")) {
        return true;
      }
      window.location.assign(control.href);
      return true;
    }
    control.click();
    return true;
  };

  document.addEventListener("keydown", (event) => {
    if (!enabled || event.defaultPrevented || event.isComposing) return;
    if (dialog?.open) return; // the dialog has its own keys (Esc closes it)
    const typing = isTyping(event.target);
    if (typing && event.key === "Escape" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const verdict = form?.querySelector("input[name=verdict]:checked") || form?.querySelector("input[name=verdict]");
      if (verdict && !verdict.disabled) {
        event.preventDefault();
        verdict.focus();
      }
      return;
    }
    const key = keyName(event);
    if (!key || (typing && key !== "Control+Enter")) return;
    if (key === "?") {
      event.preventDefault();
      openDialog();
      return;
    }
    if (event.repeat && key !== "J" && key !== "K") return;
    const control = document.querySelector(`[data-shortcut="${key}"]`);
    if (!control) {
      if (key === "J" || key === "K") announce(key === "J" ? "No next statement in your queue." : "No previous statement in your queue.");
      return;
    }
    if (run(control, key)) event.preventDefault();
  });
})();
