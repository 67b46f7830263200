/*! CommentService embed; see the README's "Embedding". Comment text reaches the page only as
    text nodes, except bodyHtml, which the service has sanitised. */
(() => {
"use strict";
const script = document.currentScript;
const scriptOrigin = script && script.src ? new URL(script.src).origin : location.origin;
const memory = {};
// Where localStorage is blocked (privacy modes, sandboxed frames) this page's memory stands in.
const store = {
  get: (k) => { try { return JSON.parse(localStorage.getItem("commentservice:" + k)) ?? memory[k]; } catch { return memory[k]; } },
  set: (k, v) => { memory[k] = v; try { localStorage.setItem("commentservice:" + k, JSON.stringify(v)); } catch { /* memory only */ } },
};
const HELD = "Your comment is awaiting review. Only you can see it until a moderator approves it.";
// Zero specificity (:where), so any rule of the host page wins; "&" is the embed's root.
const CSS = `&{display:block;max-width:46rem;line-height:1.45}
ol{list-style:none;margin:0;padding:0}
.cs-replies{margin-left:1rem;padding-left:.9rem;border-left:2px solid #8883}
.cs-replies:empty,.cs-error:empty,.cs-msg:empty,.cs-live:empty{display:none}
.cs-comment{margin:.9rem 0}
.cs-head,.cs-meta,.cs-actions,.cs-sort{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.cs-head{justify-content:space-between}
.cs-meta,.cs-actions{font-size:.875em;color:#666}
.cs-author{font-weight:600;color:inherit}
.cs-avatar{width:1.5rem;height:1.5rem;border-radius:50%}
.cs-body{margin:.2rem 0;overflow-wrap:anywhere}
.cs-body p{margin:.3rem 0}
button{font:inherit;cursor:pointer;padding:.15rem .55rem;border:1px solid #8886;border-radius:4px;background:none;color:inherit}
button[aria-pressed=true]{background:#8883;font-weight:700}
.cs-submit{background:#2b5fab;border-color:#2b5fab;color:#fff}
.cs-notice{background:#fff4d6;color:#5a4500;border-left:3px solid #e0a100;padding:.3rem .6rem;margin:.3rem 0}
.cs-error,.cs-field-error{color:#b00020}
form{display:grid;gap:.5rem;margin:.6rem 0;max-width:36rem}
.cs-field{display:grid;gap:.15rem}
input,textarea,select{font:inherit;padding:.35rem;border:1px solid #8888;border-radius:4px}
[aria-invalid=true]{border-color:#b00020}
.cs-tombstone,.cs-hint{color:#777;font-style:italic}`.replace(/^([^{]+)\{/gm, (_, sel) =>
  sel.split(",").map((s) => (s === "&" ? ":where(.cs-embed)" : `:where(.cs-embed ${s})`)).join(",") + "{");

// h("button", { class: "cs-up", "aria-label": "Upvote", onclick }, "▲"); strings become text nodes.
const h = (tag, props, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (/^(aria-|role$)/.test(k)) e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...clean(kids));
  return e;
};
const clean = (kids) => kids.filter((x) => x != null && x !== false);
const button = (text, cls, onclick, label) => h("button", { type: "button", class: cls, onclick, "aria-label": label }, text);
const opts = (pairs) => pairs.map(([value, text]) => h("option", { value }, text));
// Only http(s) links and images; anything else (javascript:, data:) is dropped.
const webUrl = (u) => { try { const x = new URL(u); return /^https?:$/.test(x.protocol) ? x.href : null; } catch { return null; } };
const num = (v, d, lo, hi) => { const n = parseInt(v, 10); return isNaN(n) ? d : Math.min(hi, Math.max(lo, n)); };
const problemText = (p) => [p.title, p.detail].filter(Boolean).join(" ");

function readerToken() {
  let t = store.get("reader");
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(t || "")) {
    t = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24)))).replace(/\+/g, "-").replace(/\//g, "_");
    store.set("reader", t);
  }
  return t;
}

// The name in the site's signed user token, for "Commenting as"; the service checks the signature.
function signedName(token) {
  try {
    const bytes = Uint8Array.from(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)).name || "you";
  } catch { return "you"; }
}

function mount(root) {
  const d = root.dataset;
  if (d.csMounted) return;
  d.csMounted = "1";
  const site = d.site || "";
  const article = d.article || location.origin + location.pathname;
  const api = (d.api || scriptOrigin).replace(/\/+$/, "");
  const userToken = d.userToken || "";
  const limit = num(d.limit, 20, 1, 100);
  const maxReplies = num(d.maxReplies, 50, 0, 200);
  let sort = /^(oldest|newest|top)$/.test(d.sort) ? d.sort : "oldest";
  const mineKey = `mine:${site}:${article}`;
  const votesKey = `votes:${site}`;
  const siteP = `/v1/sites/${encodeURIComponent(site)}`;
  const threadP = `${siteP}/articles/${encodeURIComponent(article)}/comments`;
  const commentP = (id) => `${siteP}/comments/${encodeURIComponent(id)}`;
  const nodes = new Map();
  let uid = 0, closed = false, total = 0;

  async function call(method, path, body, headers) {
    headers = Object.assign(userToken ? { "X-User-Token": userToken } : {}, headers);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let r;
    try {
      r = await fetch(api + path, { method, headers, credentials: "omit", body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw { title: "The comment service cannot be reached.", detail: "Check your connection and try again." };
    }
    if (r.status === 204) return null;
    const json = await r.json().catch(() => null);
    if (r.ok) return json;
    throw Object.assign({ title: `Request failed (${r.status}).` }, json, { status: r.status });
  }
  const query = (o) => "?" + new URLSearchParams(Object.entries(o).filter(([, v]) => v != null));
  const mine = () => store.get(mineKey) || {};
  const forget = (id) => { const m = mine(); delete m[id]; store.set(mineKey, m); };
  const editable = (id) => { const m = mine()[id]; return m && Date.parse(m.u) > Date.now() ? m : null; };

  if (!document.getElementById("cs-style") && d.css !== "none") document.head.append(h("style", { id: "cs-style" }, CSS));
  const live = h("p", { class: "cs-live", role: "status" });
  const announce = (text) => { live.textContent = ""; setTimeout(() => { live.textContent = text; }, 30); };
  const title = h("h2", { class: "cs-count" }, "Comments");
  const sorter = h("select", { onchange: () => { sort = sorter.value; load(); } }, ...opts([["oldest", "Oldest first"], ["newest", "Newest first"], ["top", "Top rated"]]));
  sorter.value = sort;
  const topError = h("p", { class: "cs-error" });
  const top = h("div", { class: "cs-top" });
  const list = h("ol", { class: "cs-list" });
  const moreSlot = h("div");
  root.classList.add("cs-embed");
  root.replaceChildren(h("div", { class: "cs-head" }, title, h("label", { class: "cs-sort" }, "Sort", sorter)), live, topError, top, list, moreSlot);
  const setTotal = (n) => { total = Math.max(0, n); title.textContent = `${total} comment${total === 1 ? "" : "s"}`; };

  // A real <form>: labelled fields (form.add), an error line, its buttons. A refusal's field reasons go
  // beside their fields, its title, detail and other reasons on the error line.
  function makeForm(label, submitText, onSubmit, cancel) {
    const n = ++uid;
    const error = h("p", { class: "cs-error" });
    const submit = h("button", { class: "cs-submit" }, submitText);
    // noValidate: the service's problem details are the one source of field messages.
    const form = h("form", { class: "cs-form", noValidate: true, "aria-label": label }, error,
      h("div", { class: "cs-actions" }, submit, cancel && button("Cancel", "cs-cancel", cancel)));
    form.add = (text, name, tag, props) => {
      const input = h(tag, Object.assign({ name, id: `cs-${n}-${name}` }, props));
      error.before(h("label", { class: "cs-field" }, h("span", null, text), input));
      return input;
    };
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      form.querySelectorAll(".cs-field-error").forEach((e) => e.remove());
      form.querySelectorAll("[aria-invalid]").forEach((i) => { i.removeAttribute("aria-invalid"); i.removeAttribute("aria-describedby"); });
      error.textContent = "";
      submit.disabled = true;
      try {
        await onSubmit();
      } catch (p) {
        const rest = [];
        let first = null;
        for (const e of p.errors || []) {
          const input = [...form.elements].find((i) => i.name && i.name.toLowerCase() === String(e.name).toLowerCase());
          if (!input) { rest.push(e.reason); continue; }
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", `${input.id}-error`);
          input.parentNode.after(h("span", { class: "cs-field-error", id: `${input.id}-error` }, e.reason));
          first = first || input;
        }
        error.textContent = [problemText(p), ...rest].join(" ");
        announce(error.textContent);
        if (first) first.focus();
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  // The form for a new comment (parent null) or a reply.
  function commentForm(parent, done, cancel) {
    let name, email, url;
    const form = makeForm(parent ? "Reply" : "New comment", parent ? "Post reply" : "Post comment", async () => {
      const c = await call("POST", threadP, {
        authorName: name ? name.value : signedName(userToken),
        authorEmail: (email && email.value.trim()) || undefined,
        authorUrl: (url && url.value.trim()) || undefined,
        body: text.value,
        parentId: parent || undefined,
      });
      if (name) store.set("name", name.value.trim());
      const m = mine();
      m[c.id] = { t: c.editToken, u: c.editableUntil, at: Date.now() };
      store.set(mineKey, m);
      text.value = "";
      done(c);
    }, cancel);
    if (userToken) {
      form.prepend(h("p", { class: "cs-hint" }, `Commenting as ${signedName(userToken)}`));
    } else {
      name = form.add("Name", "authorName", "input", { autocomplete: "name", maxLength: 80, required: true, value: store.get("name") || "" });
      email = form.add("Email (optional, never shown)", "authorEmail", "input", { type: "email", autocomplete: "email" });
      url = form.add("Website (optional)", "authorUrl", "input", { type: "url", autocomplete: "url" });
    }
    const text = form.add(parent ? "Your reply" : "Your comment", "body", "textarea", { rows: 4, maxLength: 10000, required: true });
    return form;
  }

  // Puts one of the reader's own comments (just posted, or held and found in storage) into the thread.
  function place(c, focus) {
    const li = commentNode(c);
    const parent = c.parentId && nodes.get(c.parentId);
    if (parent) parent.querySelector(":scope > .cs-replies").append(li);
    else if (sort === "newest") list.prepend(li);
    else list.append(li);
    if (focus) li.focus();
  }

  function posted(c) {
    place(c, true);
    if (c.status === "approved") setTotal(total + 1);
    announce(c.status === "approved" ? "Your comment is posted." : HELD);
  }

  // "Load more comments" (parentId null) or "Show more replies" of one comment.
  function pager(into, parentId, cursor) {
    const b = button(parentId ? "Show more replies" : "Load more comments", parentId ? "cs-more-replies" : "cs-more", async () => {
      b.disabled = true;
      try {
        const page = await call("GET", threadP + query({ parentId, sort: parentId ? null : sort, cursor, limit, maxReplies }));
        const fresh = page.items.filter((c) => !nodes.has(c.id));
        into.append(...fresh.map(commentNode));
        cursor = page.nextCursor;
        announce(`${fresh.length} more loaded.`);
        if (!cursor) b.remove();
      } catch (p) {
        announce(problemText(p));
      } finally {
        b.disabled = false;
      }
    });
    return b;
  }

  function commentNode(c) {
    const box = h("article", { class: "cs-box" });
    const replies = h("ol", { class: "cs-replies" });
    const li = h("li", { class: "cs-comment", id: `cs-${c.id}`, tabIndex: -1 }, box, replies);
    li.dataset.id = c.id;
    nodes.set(c.id, li);
    fill(box, c, li);
    replies.append(...(c.replies || []).map(commentNode));
    if (c.repliesCursor) li.append(pager(replies, c.id, c.repliesCursor));
    return li;
  }

  // (Re)draws a comment's own box: author line, notice, body, actions, and a slot for a form.
  function fill(box, c, li) {
    if (c.tombstone || c.status === "deleted") {
      box.replaceChildren(h("p", { class: "cs-tombstone" }, "This comment was removed."));
      return;
    }
    const avatar = webUrl(c.authorAvatarUrl);
    const link = webUrl(c.authorUrl);
    const approved = c.status === "approved";
    const body = h("div", { class: "cs-body" });
    body.innerHTML = c.bodyHtml || ""; // sanitised by the service: the only HTML this script inserts
    const actions = h("div", { class: "cs-actions" });
    const msg = h("p", { class: "cs-msg", role: "status" });
    const slot = h("div", { class: "cs-slot" });
    box.replaceChildren(...clean([
      h("header", { class: "cs-meta" },
        avatar && h("img", { class: "cs-avatar", src: avatar, alt: "", loading: "lazy", referrerPolicy: "no-referrer" }),
        link ? h("a", { class: "cs-author", href: link, rel: "nofollow ugc noopener" }, c.authorName) : h("span", { class: "cs-author" }, c.authorName),
        c.authorVerified && h("span", { class: "cs-verified" }, "✓ verified"),
        h("time", { dateTime: c.createdAt }, new Date(c.createdAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })),
        c.editedAt && h("span", { class: "cs-edited" }, "(edited)"),
        c.pinned && h("span", { class: "cs-pinned" }, "· pinned")),
      // Any other status the author's own GET shows means held for the moderators.
      !approved && h("p", { class: "cs-notice" }, HELD),
      body, actions, msg, slot]));
    const say = (t) => { msg.textContent = t; };
    const openForm = (form) => { slot.replaceChildren(form); form.querySelector("input, textarea, select").focus(); };
    const own = editable(c.id);

    if (approved) {
      const up = button("▲", "cs-up", () => vote(1), "Upvote");
      const down = button("▼", "cs-down", () => vote(-1), "Downvote");
      const score = h("span", { class: "cs-score", title: "Score: upvotes minus downvotes" }, String(c.score || 0));
      const pressed = (v) => { up.setAttribute("aria-pressed", v === 1); down.setAttribute("aria-pressed", v === -1); };
      pressed((store.get(votesKey) || {})[c.id] || 0);
      const vote = async (v) => {
        const votes = store.get(votesKey) || {};
        up.disabled = down.disabled = true;
        try {
          const r = await call("PUT", `${commentP(c.id)}/vote`, { value: votes[c.id] === v ? 0 : v }, { "X-Reader-Token": readerToken() });
          if (r.myVote) votes[c.id] = r.myVote; else delete votes[c.id];
          store.set(votesKey, votes);
          c.score = r.score;
          score.textContent = String(r.score);
          pressed(r.myVote);
          say("");
          announce(`Vote saved. Score ${r.score}.`);
        } catch (p) {
          say(problemText(p));
        } finally {
          up.disabled = down.disabled = false;
        }
      };
      actions.append(up, score, down);
      if (!closed) {
        const reply = button("Reply", "cs-reply", () =>
          openForm(commentForm(c.id, (r) => { slot.textContent = ""; posted(r); }, () => { slot.textContent = ""; reply.focus(); })));
        actions.append(reply);
      }
    }

    if (own) {
      const edit = button("Edit", "cs-edit", () => {
        const form = makeForm("Edit comment", "Save", async () => {
          const r = await call("PATCH", commentP(c.id), { body: text.value }, { "X-Edit-Token": own.t });
          Object.assign(c, { body: r.body, bodyHtml: r.bodyHtml, editedAt: r.editedAt, status: r.status });
          fill(box, c, li);
          announce(r.status === "approved" ? "Your comment is updated." : HELD);
        }, () => fill(box, c, li));
        const text = form.add("Edit your comment", "body", "textarea", { rows: 4, maxLength: 10000, value: c.body || "" });
        body.remove();
        actions.hidden = true;
        openForm(form);
      });
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
          forget(c.id);
          if (approved) setTotal(total - 1);
          c.status = "deleted";
          // With replies still shown it stays as a placeholder, as the thread will show it.
          if (li.querySelector(":scope > .cs-replies > li")) fill(box, c, li); else { li.remove(); nodes.delete(c.id); }
          announce("Your comment is deleted.");
        } catch (p) {
          del.disabled = false;
          say(problemText(p));
        }
      });
      actions.append(edit, del);
    }

    if (approved) {
      actions.append(button("Report", "cs-report", () => {
        const close = () => { slot.textContent = ""; };
        const form = makeForm("Report comment", "Send report", async () => {
          await call("POST", `${commentP(c.id)}/reports`, { reason: reason.value }, { "X-Reader-Token": readerToken() });
          close();
          say("Thank you. The moderators will take a look.");
        }, close);
        const reason = form.add("Why should moderators look at this?", "reason", "select", {});
        reason.append(...opts([["spam", "Spam"], ["abuse", "Abusive or harassing"], ["offtopic", "Off-topic"], ["other", "Something else"]]));
        openForm(form);
      }));
    }
  }

  // The reader's own comments that the thread does not show: held ones come back (with the notice)
  // on every visit until a moderator approves them; from then on the thread itself shows them.
  async function showMine() {
    for (const [id, entry] of Object.entries(mine())) {
      const open = Date.parse(entry.u) > Date.now();
      if (nodes.has(id)) { if (!open) forget(id); continue; }
      if (Date.now() - entry.at > 2592e6) { forget(id); continue; } // looked for 30 days at most
      try {
        const c = await call("GET", commentP(id), undefined, { "X-Edit-Token": entry.t });
        if (c.status === "deleted" || (c.status === "approved" && !open)) forget(id);
        else if (c.status !== "approved") place(c, false);
      } catch (p) {
        if (p.status === 404 || p.status === 403) forget(id);
      }
    }
  }

  async function load() {
    list.textContent = moreSlot.textContent = topError.textContent = "";
    nodes.clear();
    try {
      if (!site) throw { title: "This comment thread is not set up.", detail: "The element needs a data-site attribute." };
      const page = await call("GET", threadP + query({ sort, limit, maxReplies }));
      closed = page.closed;
      setTotal(page.totalCount);
      top.replaceChildren(closed ? h("p", { class: "cs-closed" }, "Comments are closed.") : commentForm(null, posted));
      list.append(...page.items.map(commentNode));
      if (page.nextCursor) moreSlot.append(pager(list, null, page.nextCursor));
      await showMine();
    } catch (p) {
      topError.textContent = problemText(p);
    }
  }

  load();
}

const start = () => document.querySelectorAll("#comments, [data-commentservice]").forEach(mount);
window.CommentService = { mount };
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
