// knowwho: small progressive enhancement over server-rendered pages.
// Every feature works without this file; with it, actions happen in place.
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const toastBox = () => document.getElementById("toast");
  let toastTimer = 0;

  function toast(text, isError) {
    const box = toastBox();
    if (!box) return;
    box.textContent = text;
    box.classList.toggle("error", !!isError);
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf() },
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok) throw new Error(data.error || ("The server answered " + response.status));
    return data;
  }

  // Forms marked data-ajax: submit in place, then remove their item or reload a part.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-ajax")) return;
    event.preventDefault();
    const data = new FormData(form, event.submitter || undefined);
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const result = await post(form.action, data);
      const item = form.closest("[data-item]");
      if (item) {
        item.classList.add("leaving");
        setTimeout(() => { removeItem(item); updateCount(); }, 250);
      }
      const menu = form.closest("details");
      if (menu) menu.open = false;
      toast(result.message || "Saved.");
    } catch (error) {
      toast(error.message, true);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });

  // An item leaves its group: the group's count follows, and an emptied group goes with its heading.
  function removeItem(item) {
    const group = item.closest(".today-group");
    item.remove();
    if (!group) return;
    const left = group.querySelectorAll("[data-item]").length;
    const count = group.querySelector(".group-head .count");
    if (left === 0) group.remove();
    else if (count) count.textContent = count.textContent.replace(/^\d+/, String(left));
  }

  function updateCount() {
    const list = document.querySelector("[data-today]");
    if (!list) return;
    const left = list.querySelectorAll("[data-item]").length;
    const count = document.querySelector("[data-count]");
    if (count) count.textContent = left === 1 ? "1 thing to do" : left + " things to do";
    if (left === 0) {
      const empty = document.getElementById("all-done");
      if (empty) empty.hidden = false;
    }
  }

  // Draft buttons: fetch the draft and show it in a dialog with copy and mail buttons.
  document.addEventListener("click", async (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[data-draft]") : null;
    if (!link) return;
    const dialog = document.getElementById("draft-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return;
    event.preventDefault();
    try {
      const response = await fetch(link.dataset.draft, { headers: { "Accept": "application/json" } });
      const drafts = await response.json();
      if (!response.ok) throw new Error(drafts.error || "No draft");
      if (drafts.length !== 1) { window.location.href = link.href; return; }  // an introduction's two: the page
      const draft = drafts[0];
      dialog.querySelector("[data-subject]").value = draft.subject;
      dialog.querySelector("[data-body]").value = draft.body;
      dialog.querySelector("[data-to]").textContent = draft.to.length ? draft.to.join(", ") : "no email address known";
      dialog.querySelector("[data-mailto]").href = draft.mailto;
      dialog.showModal();
      dialog.querySelector("[data-body]").focus();
    } catch (error) {
      toast(error.message, true);
    }
  });

  document.addEventListener("click", async (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest("[data-copy]")) {
      const dialog = target.closest("dialog");
      const text = dialog.querySelector("[data-subject]").value + "\n\n" + dialog.querySelector("[data-body]").value;
      try { await navigator.clipboard.writeText(text); toast("Copied."); } catch (e) {
        dialog.querySelector("[data-body]").select(); toast("Press Ctrl+C to copy.");
      }
    }
    if (target.closest("[data-close]")) target.closest("dialog").close();
  });

  // Search as you type on the People page: fetch the results part and swap it in.
  const live = document.querySelector("[data-live-search]");
  if (live) {
    let timer = 0;
    let last = "";
    live.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const form = live.form;
        const params = new URLSearchParams();
        for (const [name, value] of new FormData(form)) {
          if (value !== "" && name !== "cursor") params.append(name, value);
        }
        const query = params.toString();
        if (query === last) return;
        last = query;
        const response = await fetch(form.action + "?" + query + "&part=results", { headers: { "Accept": "text/html" } });
        if (!response.ok || query !== last) return;
        document.getElementById("results").innerHTML = await response.text();
        history.replaceState(null, "", form.action + "?" + query);
      }, 180);
    });
  }

  // Filters that change submit at once (a select needs no extra button when scripts run).
  document.querySelectorAll("[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.requestSubmit());
  });

  // Keyboard: "/" focuses search; Escape leaves it.
  document.addEventListener("keydown", (event) => {
    const tag = (event.target && event.target.tagName) || "";
    const typing = tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.target.isContentEditable;
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey) {
      const box = document.querySelector("[data-live-search]") || document.querySelector("[data-hotkey='/']");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    } else if (event.key === "Escape" && typing && event.target.type === "search") {
      event.target.blur();
    }
  });
})();

// "Edit" in a person's header opens the edit panel (a <details>) and moves focus into it.
(function () {
  "use strict";
  function openEdit() {
    const panel = document.getElementById("edit");
    if (panel && panel.tagName === "DETAILS") {
      panel.open = true;
      const first = panel.querySelector("input:not([type=hidden])");
      if (first) first.focus();
    }
  }
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("[data-open-edit]")) {
      event.preventDefault();
      openEdit();
    }
  });
  if (location.hash === "#edit") openEdit();
})();

// Import: a file dropped anywhere on the zone goes into its file input; say what kind it looks like.
(function () {
  "use strict";
  const zone = document.querySelector("[data-dropzone]");
  if (!zone) return;
  const input = zone.querySelector("input[type=file]");
  const chosen = zone.querySelector("[data-chosen]");
  const kind = document.querySelector("[data-kind]");
  function describe() {
    const file = input.files && input.files[0];
    if (!file) { chosen.textContent = ""; return; }
    const dot = file.name.lastIndexOf(".");
    const ext = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
    const match = kind && Array.from(kind.options).find((o) => (o.dataset.accept || "").split(",").includes(ext));
    const guess = match && ext !== ".csv" && ext !== ".txt" ? " (looks like: " + match.textContent + ")" : "";
    chosen.textContent = "Chosen: " + file.name + guess;
  }
  input.addEventListener("change", describe);
  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
    event.preventDefault();
    zone.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, () => zone.classList.remove("over")));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      describe();
    }
  });
})();

// People filters: a wide screen shows them unfolded; browsers without ::details-content get them opened here.
(function () {
  "use strict";
  const more = document.querySelector("details.filter-more");
  const supported = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (more && !supported && window.matchMedia("(min-width: 861px)").matches) more.open = true;
})();

// The phone's one-line menu: the current page's entry is scrolled into sight.
(function () {
  "use strict";
  const current = document.querySelector('.top nav a[aria-current="page"]');
  const strip = current && current.closest("ul");
  if (strip && strip.scrollWidth > strip.clientWidth) {
    strip.scrollLeft = current.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
  }
})();

// A field that belongs to one kind of conversation (a missed call) shows only while that kind is chosen;
// without scripts it stays shown, and the server refuses it for another kind.
(function () {
  "use strict";
  document.querySelectorAll("[data-for-kind]").forEach((field) => {
    const kind = field.closest("form") && field.closest("form").querySelector("select[name=kind]");
    if (!kind) return;
    const box = field.querySelector("input[type=checkbox]");
    function follow() {
      field.hidden = kind.value !== field.dataset.forKind;
      if (field.hidden && box) box.checked = false;
    }
    kind.addEventListener("change", follow);
    follow();
  });
})();

// A form posted the ordinary way is sent once: a second click while the next page loads would post it again
// (a conversation logged twice). Runs after the page's other submit handlers, so a form they held back is not
// marked; a page the back button brings back from memory can send its forms again.
(function () {
  "use strict";
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-ajax") || event.defaultPrevented) return;
    if (form.method.toLowerCase() !== "post") return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "true";
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) document.querySelectorAll("form[data-sent]").forEach((form) => { delete form.dataset.sent; });
  });
})();
