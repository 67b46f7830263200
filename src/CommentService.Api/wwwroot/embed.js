/*! CommentService embed: <script src="https://comments.example/embed.js" async></script>
    <div id="comments" data-site="film-blog" data-article="https://films.example/her"></div>
    Attributes and behaviour: README, "Embedding". No dependencies. Comment text reaches the page only as
    textContent, except bodyHtml, which the service has already sanitised. */
(() => {
  "use strict";
  const script = document.currentScript;
  const scriptOrigin = script && script.src ? new URL(script.src).origin : location.origin;
  const PREFIX = "commentservice:";
  const memory = {};
  // localStorage may be blocked (privacy modes, sandboxed frames): fall back to this page's memory.
  const store = {
    get(k) { try { const v = localStorage.getItem(PREFIX + k); return v == null ? memory[k] : JSON.parse(v); } catch { return memory[k]; } },
    set(k, v) { memory[k] = v; try { localStorage.setItem(PREFIX + k, JSON.stringify(v)); } catch { /* memory only */ } },
  };
  const KEEP_PENDING_MS = 30 * 24 * 3600 * 1000;
  const CSS = `
:where(.cs-embed){display:block;max-width:46rem;line-height:1.45}
:where(.cs-embed ol){list-style:none;margin:0;padding:0}
:where(.cs-embed .cs-replies){margin-left:1rem;padding-left:.9rem;border-left:2px solid #8883}
:where(.cs-embed .cs-replies:empty){display:none}
:where(.cs-embed .cs-comment){margin:.9rem 0}
:where(.cs-embed .cs-head, .cs-embed .cs-meta, .cs-embed .cs-actions){display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
:where(.cs-embed .cs-head){justify-content:space-between}
:where(.cs-embed .cs-meta, .cs-embed .cs-actions){font-size:.875em;color:#666}
:where(.cs-embed .cs-author){font-weight:600;color:inherit}
:where(.cs-embed .cs-avatar){width:1.5rem;height:1.5rem;border-radius:50%}
:where(.cs-embed .cs-verified, .cs-embed .cs-pinned){font-size:.8em;padding:0 .35rem;border-radius:3px;background:#8882}
:where(.cs-embed .cs-body){margin:.2rem 0;overflow-wrap:anywhere}
:where(.cs-embed .cs-body p){margin:.3rem 0}
:where(.cs-embed button){font:inherit;cursor:pointer;padding:.15rem .55rem;border:1px solid #8886;border-radius:4px;background:transparent;color:inherit}
:where(.cs-embed button[aria-pressed=true]){background:#8883;font-weight:700}
:where(.cs-embed button:disabled){opacity:.6;cursor:default}
:where(.cs-embed .cs-notice){background:#fff4d6;color:#5a4500;border-left:3px solid #e0a100;padding:.3rem .6rem;margin:.3rem 0}
:where(.cs-embed .cs-error, .cs-embed .cs-field-error){color:#b00020}
:where(.cs-embed .cs-error:empty, .cs-embed .cs-msg:empty, .cs-embed .cs-live:empty){display:none}
:where(.cs-embed form){display:grid;gap:.5rem;margin:.6rem 0;max-width:36rem}
:where(.cs-embed label){display:grid;gap:.15rem}
:where(.cs-embed input, .cs-embed textarea, .cs-embed select){font:inherit;padding:.35rem;border:1px solid #8888;border-radius:4px}
:where(.cs-embed [aria-invalid=true]){border-color:#b00020;outline-color:#b00020}
:where(.cs-embed .cs-tombstone){color:#777;font-style:italic}
:where(.cs-embed .cs-hint){font-size:.85em;color:#666}`;

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const button = (text, cls, onClick) => {
    const b = el("button", cls, text);
    b.type = "button";
    if (onClick) b.addEventListener("click", onClick);
    return b;
  };
  // Only http(s) links and images; anything else (javascript:, data:) is dropped.
  const webUrl = (u) => { try { const x = new URL(u); return /^https?:$/.test(x.protocol) ? x.href : null; } catch { return null; } };
  const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  const num = (v, d, lo, hi) => { const n = parseInt(v, 10); return isNaN(n) ? d : Math.min(hi, Math.max(lo, n)); };
  const plural = (n) => `${n} comment${n === 1 ? "" : "s"}`;
  const problemText = (p) => [p.title, p.detail].filter(Boolean).join(" ");

  function readerToken() {
    let t = store.get("reader");
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(t || "")) {
      const a = crypto.getRandomValues(new Uint8Array(24));
      t = btoa(String.fromCharCode(...a)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
      store.set("reader", t);
    }
    return t;
  }

  // The name a site put in its signed user token, to show "Commenting as"; the service checks the signature.
  function signedName(token) {
    try {
      const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const bytes = Uint8Array.from(atob(part), (ch) => ch.charCodeAt(0));
      return JSON.parse(new TextDecoder().decode(bytes)).name || "you";
    } catch { return "you"; }
  }

  function mount(root) {
    if (root.dataset.csMounted) return;
    root.dataset.csMounted = "1";
    const site = root.dataset.site || "";
    const article = root.dataset.article || location.origin + location.pathname;
    const api = (root.dataset.api || scriptOrigin).replace(/\/+$/, "");
    const userToken = root.dataset.userToken || "";
    const limit = num(root.dataset.limit, 20, 1, 100);
    const maxReplies = num(root.dataset.maxReplies, 50, 0, 200);
    let sort = /^(oldest|newest|top)$/.test(root.dataset.sort || "") ? root.dataset.sort : "oldest";
    const mineKey = `mine:${site}:${article}`;
    const votesKey = `votes:${site}`;
    const siteP = `/v1/sites/${encodeURIComponent(site)}`;
    const threadP = `${siteP}/articles/${encodeURIComponent(article)}/comments`;
    const commentP = (id) => `${siteP}/comments/${encodeURIComponent(id)}`;
    const nodes = new Map();
    let uid = 0;
    let closed = false;
    let total = 0;

    async function call(method, path, body, headers) {
      const h = Object.assign({}, headers);
      if (userToken) h["X-User-Token"] = userToken;
      const init = { method, headers: h, credentials: "omit" };
      if (body !== undefined) {
        h["Content-Type"] = "application/json";
        init.body = JSON.stringify(body);
      }
      let r;
      try { r = await fetch(api + path, init); } catch {
        throw { title: "The comment service cannot be reached.", detail: "Check your connection and try again." };
      }
      if (r.status === 204) return null;
      const json = await r.json().catch(() => null);
      if (r.ok) return json;
      throw Object.assign({ title: `Request failed (${r.status}).` }, json, { status: r.status });
    }
    const query = (o) => "?" + new URLSearchParams(Object.entries(o).filter(([, v]) => v != null && v !== "")).toString();

    const mine = () => store.get(mineKey) || {};
    const saveMine = (m) => store.set(mineKey, m);
    const editable = (id) => { const m = mine()[id]; return m && Date.parse(m.u) > Date.now() ? m : null; };

    if (!document.getElementById("cs-style") && root.dataset.css !== "none") {
      const style = el("style", "", CSS);
      style.id = "cs-style";
      document.head.append(style);
    }
    root.textContent = "";
    root.classList.add("cs-embed");
    const live = el("p", "cs-live");
    live.setAttribute("role", "status");
    const announce = (text) => { live.textContent = ""; setTimeout(() => { live.textContent = text; }, 30); };

    const head = el("div", "cs-head");
    const title = el("h2", "cs-count", "Comments");
    const sortLabel = el("label", "cs-sort", "Sort ");
    const sortSelect = el("select");
    for (const [v, t] of [["oldest", "Oldest first"], ["newest", "Newest first"], ["top", "Top rated"]]) {
      const o = el("option", "", t);
      o.value = v;
      sortSelect.append(o);
    }
    sortSelect.value = sort;
    sortSelect.addEventListener("change", () => { sort = sortSelect.value; load(); });
    sortLabel.append(sortSelect);
    head.append(title, sortLabel);
    const topError = el("p", "cs-error");
    const topSlot = el("div", "cs-top");
    const list = el("ol", "cs-list");
    const moreSlot = el("div", "cs-more-slot");
    root.append(head, live, topError, topSlot, list, moreSlot);

    const setTotal = (n) => { total = Math.max(0, n); title.textContent = plural(total); };

    function clearErrors(form) {
      form.querySelectorAll(".cs-field-error").forEach((e) => e.remove());
      form.querySelectorAll("[aria-invalid]").forEach((i) => { i.removeAttribute("aria-invalid"); i.removeAttribute("aria-describedby"); });
      form.querySelector(".cs-error").textContent = "";
    }

    // A problem's field reasons go next to their fields; its title, detail and other reasons above the buttons.
    function showProblem(form, p) {
      const rest = [];
      let first = null;
      for (const e of p.errors || []) {
        const name = String(e.name || "").toLowerCase();
        const input = [...form.elements].find((i) => i.name && i.name.toLowerCase() === name);
        if (!input) { rest.push(e.reason); continue; }
        const msg = el("span", "cs-field-error", e.reason);
        msg.id = `${input.id}-error`;
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", msg.id);
        (input.closest("label") || input).after(msg);
        first = first || input;
      }
      const text = [problemText(p), ...rest].join(" ");
      form.querySelector(".cs-error").textContent = text;
      announce(text);
      if (first) first.focus();
    }

    function field(form, n, label, name, tag, props) {
      const l = el("label", "cs-field");
      l.append(el("span", "", label));
      const i = el(tag);
      Object.assign(i, { name, id: `cs-${n}-${name}` }, props);
      l.htmlFor = i.id;
      l.append(i);
      form.append(l);
      return i;
    }

    // The form for a new comment (parent null) or a reply.
    function commentForm(parent, done, cancel) {
      const n = ++uid;
      const form = el("form", "cs-form");
      form.noValidate = true; // the service's problem details are the one source of field messages
      form.setAttribute("aria-label", parent ? "Reply" : "New comment");
      let name, email, url;
      if (userToken) {
        form.append(el("p", "cs-hint", `Commenting as ${signedName(userToken)}`));
      } else {
        name = field(form, n, "Name", "authorName", "input", { autocomplete: "name", maxLength: 80, required: true, value: store.get("name") || "" });
        email = field(form, n, "Email (optional, never shown)", "authorEmail", "input", { type: "email", autocomplete: "email" });
        url = field(form, n, "Website (optional)", "authorUrl", "input", { type: "url", autocomplete: "url" });
      }
      const text = field(form, n, parent ? "Your reply" : "Your comment", "body", "textarea", { rows: 4, maxLength: 10000, required: true });
      const error = el("p", "cs-error");
      const actions = el("div", "cs-actions");
      const submit = el("button", "cs-submit", parent ? "Post reply" : "Post comment");
      submit.type = "submit";
      actions.append(submit);
      if (cancel) actions.append(button("Cancel", "cs-cancel", cancel));
      form.append(error, actions);
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        clearErrors(form);
        submit.disabled = true;
        const payload = {
          authorName: userToken ? signedName(userToken) : name.value,
          authorEmail: email && email.value.trim() ? email.value.trim() : undefined,
          authorUrl: url && url.value.trim() ? url.value.trim() : undefined,
          body: text.value,
          parentId: parent || undefined,
        };
        try {
          const c = await call("POST", threadP, payload);
          if (name) store.set("name", name.value.trim());
          const m = mine();
          m[c.id] = { t: c.editToken, u: c.editableUntil, p: c.parentId, at: Date.now() };
          saveMine(m);
          text.value = "";
          done(c);
        } catch (p) {
          showProblem(form, p);
        } finally {
          submit.disabled = false;
        }
      });
      return form;
    }

    // Puts a comment of the reader's own (just posted, or held and found in storage) into the thread.
    function place(c, focus) {
      const li = commentNode(c);
      const parent = c.parentId && nodes.get(c.parentId);
      const into = parent ? parent.querySelector(":scope > .cs-replies") : list;
      if (!parent && sort === "newest") into.prepend(li); else into.append(li);
      if (focus) li.focus();
      return li;
    }

    function posted(c) {
      place(c, true);
      if (c.status === "approved") {
        setTotal(total + 1);
        announce("Your comment is posted.");
      } else {
        announce("Your comment is awaiting review. Only you can see it until a moderator approves it.");
      }
    }

    function pager(into, parentId, cursor) {
      const b = button(parentId ? "Show more replies" : "Load more comments", parentId ? "cs-more-replies" : "cs-more");
      let next = cursor;
      b.addEventListener("click", async () => {
        b.disabled = true;
        try {
          const page = await call("GET", threadP + query(parentId ? { parentId, cursor: next, limit, maxReplies } : { sort, cursor: next, limit, maxReplies }));
          let added = 0;
          for (const c of page.items) {
            if (!nodes.has(c.id)) { into.append(commentNode(c)); added++; }
          }
          next = page.nextCursor;
          announce(`${added} more loaded.`);
          if (!next) b.remove();
        } catch (p) {
          announce(problemText(p));
        } finally {
          b.disabled = false;
        }
      });
      return b;
    }

    function commentNode(c) {
      const li = el("li", "cs-comment");
      li.id = `cs-${c.id}`;
      li.dataset.id = c.id;
      li.tabIndex = -1;
      nodes.set(c.id, li);
      const box = el("article", "cs-box");
      const replies = el("ol", "cs-replies");
      li.append(box, replies);
      fill(box, c, li);
      for (const r of c.replies || []) replies.append(commentNode(r));
      if (c.repliesCursor) li.append(pager(replies, c.id, c.repliesCursor));
      return li;
    }

    function fill(box, c, li) {
      box.textContent = "";
      const meta = el("header", "cs-meta");
      box.append(meta);
      if (c.tombstone || c.status === "deleted") {
        box.append(el("p", "cs-tombstone", "This comment was removed."));
        return;
      }
      const avatar = webUrl(c.authorAvatarUrl);
      if (avatar) {
        const img = el("img", "cs-avatar");
        Object.assign(img, { src: avatar, alt: "", loading: "lazy", referrerPolicy: "no-referrer" });
        meta.append(img);
      }
      const link = webUrl(c.authorUrl);
      const author = el(link ? "a" : "span", "cs-author", c.authorName);
      if (link) Object.assign(author, { href: link, rel: "nofollow ugc noopener" });
      meta.append(author);
      if (c.authorVerified) meta.append(el("span", "cs-verified", "verified"));
      const time = el("time", "", when(c.createdAt));
      time.dateTime = c.createdAt;
      meta.append(time);
      if (c.editedAt) meta.append(el("span", "cs-edited", "(edited)"));
      if (c.pinned) meta.append(el("span", "cs-pinned", "pinned"));
      const approved = c.status === "approved";
      // Any status other than approved that the author's own GET shows: held for the moderators.
      if (!approved) box.append(el("p", "cs-notice", "Your comment is awaiting review. Only you can see it until a moderator approves it."));
      const body = el("div", "cs-body");
      body.innerHTML = c.bodyHtml || ""; // sanitised by the service: the only HTML this script inserts
      const msg = el("p", "cs-msg");
      msg.setAttribute("role", "status");
      const actions = el("div", "cs-actions");
      const slot = el("div", "cs-slot");
      box.append(body, actions, msg, slot);
      const say = (t) => { msg.textContent = t; };
      const own = editable(c.id);

      if (approved) {
        const votes = store.get(votesKey) || {};
        const up = button("▲", "cs-up");
        const down = button("▼", "cs-down");
        const score = el("span", "cs-score", String(c.score || 0));
        up.setAttribute("aria-label", `Upvote (${c.upvotes || 0} so far)`);
        down.setAttribute("aria-label", `Downvote (${c.downvotes || 0} so far)`);
        score.title = "Score: upvotes minus downvotes";
        const pressed = (v) => { up.setAttribute("aria-pressed", String(v === 1)); down.setAttribute("aria-pressed", String(v === -1)); };
        pressed(votes[c.id] || 0);
        const vote = async (v) => {
          const current = (store.get(votesKey) || {})[c.id] || 0;
          const value = current === v ? 0 : v;
          up.disabled = down.disabled = true;
          try {
            const r = await call("PUT", `${commentP(c.id)}/vote`, { value }, { "X-Reader-Token": readerToken() });
            const all = store.get(votesKey) || {};
            if (r.myVote) all[c.id] = r.myVote; else delete all[c.id];
            store.set(votesKey, all);
            Object.assign(c, { score: r.score, upvotes: r.upvotes, downvotes: r.downvotes });
            score.textContent = String(r.score);
            up.setAttribute("aria-label", `Upvote (${r.upvotes} so far)`);
            down.setAttribute("aria-label", `Downvote (${r.downvotes} so far)`);
            pressed(r.myVote);
            say("");
            announce(`Vote saved. Score ${r.score}.`);
          } catch (p) {
            say(problemText(p));
          } finally {
            up.disabled = down.disabled = false;
          }
        };
        up.addEventListener("click", () => vote(1));
        down.addEventListener("click", () => vote(-1));
        actions.append(up, score, down);
        if (!closed) {
          const reply = button("Reply", "cs-reply", () => {
            if (slot.firstChild) { slot.querySelector("textarea")?.focus(); return; }
            const close = () => { slot.textContent = ""; reply.focus(); };
            const form = commentForm(c.id, (r) => { slot.textContent = ""; posted(r); }, close);
            slot.append(form);
            form.querySelector("input, textarea").focus();
          });
          actions.append(reply);
        }
      }

      if (own) {
        actions.append(button("Edit", "cs-edit", () => {
          const n = ++uid;
          const form = el("form", "cs-form");
          form.noValidate = true;
          form.setAttribute("aria-label", "Edit comment");
          const text = field(form, n, "Edit your comment", "body", "textarea", { rows: 4, maxLength: 10000, value: c.body || "" });
          const error = el("p", "cs-error");
          const row = el("div", "cs-actions");
          const save = el("button", "cs-save", "Save");
          save.type = "submit";
          row.append(save, button("Cancel", "cs-cancel", () => { fill(box, c, li); }));
          form.append(error, row);
          body.replaceWith(form);
          actions.hidden = true;
          text.focus();
          form.addEventListener("submit", async (ev) => {
            ev.preventDefault();
            clearErrors(form);
            save.disabled = true;
            try {
              const r = await call("PATCH", commentP(c.id), { body: text.value }, { "X-Edit-Token": own.t });
              Object.assign(c, { body: r.body, bodyHtml: r.bodyHtml, editedAt: r.editedAt, status: r.status });
              fill(box, c, li);
              announce(r.status === "approved" ? "Your comment is updated." : "Your comment is updated and awaiting review.");
            } catch (p) {
              showProblem(form, p);
            } finally {
              save.disabled = false;
            }
          });
        }));
        const del = button("Delete", "cs-delete", async () => {
          if (!del.dataset.armed) {
            del.dataset.armed = "1";
            del.textContent = "Confirm delete";
            announce("Press Confirm delete to delete your comment.");
            return;
          }
          del.disabled = true;
          try {
            await call("DELETE", commentP(c.id), undefined, { "X-Edit-Token": own.t });
            const m = mine();
            delete m[c.id];
            saveMine(m);
            if (approved) setTotal(total - 1);
            c.status = "deleted";
            if (li.querySelector(":scope > .cs-replies > li")) fill(box, c, li); else { li.remove(); nodes.delete(c.id); }
            announce("Your comment is deleted.");
          } catch (p) {
            del.disabled = false;
            say(problemText(p));
          }
        });
        actions.append(del);
      }

      if (approved) {
        actions.append(button("Report", "cs-report", () => {
          if (slot.firstChild) return;
          const n = ++uid;
          const form = el("form", "cs-form");
          form.setAttribute("aria-label", "Report comment");
          const reason = field(form, n, "Why should moderators look at this?", "reason", "select", {});
          for (const [v, t] of [["spam", "Spam"], ["abuse", "Abusive or harassing"], ["offtopic", "Off-topic"], ["other", "Something else"]]) {
            const o = el("option", "", t);
            o.value = v;
            reason.append(o);
          }
          const error = el("p", "cs-error");
          const row = el("div", "cs-actions");
          const send = el("button", "cs-send", "Send report");
          send.type = "submit";
          const close = () => { slot.textContent = ""; };
          row.append(send, button("Cancel", "cs-cancel", close));
          form.append(error, row);
          slot.append(form);
          reason.focus();
          form.addEventListener("submit", async (ev) => {
            ev.preventDefault();
            clearErrors(form);
            send.disabled = true;
            try {
              await call("POST", `${commentP(c.id)}/reports`, { reason: reason.value }, { "X-Reader-Token": readerToken() });
              close();
              say("Thank you. The moderators will take a look.");
            } catch (p) {
              showProblem(form, p);
              send.disabled = false;
            }
          });
        }));
      }
    }

    // The reader's own comments that the thread does not show: held ones (with the notice) come back
    // on every visit until a moderator approves them; then the thread itself shows them.
    async function showMine() {
      const m = mine();
      let changed = false;
      const forget = (id) => { delete m[id]; changed = true; };
      for (const [id, entry] of Object.entries(m)) {
        const open = Date.parse(entry.u) > Date.now();
        if (nodes.has(id)) { if (!open) forget(id); continue; }
        if (Date.now() - (entry.at || 0) > KEEP_PENDING_MS) { forget(id); continue; }
        try {
          const c = await call("GET", commentP(id), undefined, { "X-Edit-Token": entry.t });
          if (c.status === "deleted") forget(id);
          else if (c.status !== "approved") place(c, false);
          else if (!open) forget(id);
        } catch (p) {
          if (p.status === 404 || p.status === 403) forget(id);
        }
      }
      if (changed) saveMine(m);
    }

    async function load() {
      list.textContent = "";
      moreSlot.textContent = "";
      topError.textContent = "";
      nodes.clear();
      list.setAttribute("aria-busy", "true");
      try {
        if (!site) throw { title: "This comment thread is not set up.", detail: "The element needs a data-site attribute." };
        const page = await call("GET", threadP + query({ sort, limit, maxReplies }));
        closed = page.closed;
        setTotal(page.totalCount);
        topSlot.textContent = "";
        topSlot.append(closed ? el("p", "cs-closed", "Comments are closed.") : commentForm(null, posted));
        for (const c of page.items) list.append(commentNode(c));
        if (page.nextCursor) moreSlot.append(pager(list, null, page.nextCursor));
        await showMine();
      } catch (p) {
        topError.textContent = problemText(p);
      } finally {
        list.removeAttribute("aria-busy");
      }
    }

    load();
  }

  const start = () => document.querySelectorAll("#comments, [data-commentservice]").forEach(mount);
  window.CommentService = { mount };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
