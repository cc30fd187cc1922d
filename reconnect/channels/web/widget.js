/* Reconnect's chat widget for a clinic portal. Embed it with one element and one script:
 *
 *   <div id="reconnect-chat"></div>
 *   <script src="https://reconnect.clinic.example/webhooks/widget/widget.js"
 *           data-target="reconnect-chat" data-token-url="/portal/reconnect-token"></script>
 *
 * data-token-url answers GET (with the portal's own cookies) with {"token": "<JWT>"} for the
 * signed-in staff member, or 401 when nobody is signed in (README, "Chat in the widget").
 * data-sign-in-url (optional) is where "Sign in again" leads; without it the widget asks the
 * token URL again. The page can also call ReconnectWidget.signIn(token).
 *
 * Nothing of the conversation is kept in the browser: no storage, no cookies. Earlier
 * messages come from the server after sign-in; signing out or going idle clears the screen.
 *
 * A link from Slack opens one item: `#open=<item>` on the page's address (a fixed name, never
 * a client). After sign-in the widget asks for that item once, as if the user had, and clears
 * the fragment so that a reload does not ask again; any other fragment is left alone.
 * This file is served after socket.io-client, which defines `io`.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.src.replace(/widget\.js(\?.*)?$/, "");
  var serverOrigin = new URL(base).origin;
  var config = {
    target: script.getAttribute("data-target") || "reconnect-chat",
    tokenUrl: script.getAttribute("data-token-url"),
    signInUrl: script.getAttribute("data-sign-in-url")
  };
  var uid = 0;
  /* The items a link may open (reconnect/channels/open_items.py), as the request is shown. */
  var ITEMS = {
    "follow-ups": "Follow-ups due",
    "attention": "Clients needing attention",
    "missed-today": "Missed today",
    "follow-ups-today": "Follow-ups due today",
    "rates": "No-show rates",
    "supervision": "Supervisees' clients needing attention"
  };

  /* The item the page's address asks to open, or null. */
  function requestedItem() {
    var found = /^#open=([a-z-]+)$/.exec(window.location.hash || "");
    return found && Object.prototype.hasOwnProperty.call(ITEMS, found[1]) ? found[1] : null;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (attrs[key] === true) { node.setAttribute(key, ""); }
      else if (attrs[key] !== false && attrs[key] != null) { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* Text as Reconnect writes it: paragraphs, line breaks, "- " and "1. " lists. Built as
   * DOM nodes, never as HTML, so nothing in a message can run in the page. */
  function formatText(text) {
    var box = el("div", { "class": "rc-text" });
    var list = null, para = null;
    String(text).split("\n").forEach(function (line) {
      var bullet = /^\s*(?:[-*\u2022])\s+(.*)$/.exec(line);
      var numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
      if (bullet || numbered) {
        var kind = bullet ? "ul" : "ol";
        if (!list || list.tagName.toLowerCase() !== kind) {
          list = el(kind); box.appendChild(list);
        }
        list.appendChild(el("li", { text: (bullet || numbered)[1] }));
        para = null;
      } else if (!line.trim()) {
        list = null; para = null;
      } else {
        list = null;
        if (para) { para.appendChild(el("br")); para.appendChild(document.createTextNode(line)); }
        else { para = el("p", { text: line }); box.appendChild(para); }
      }
    });
    return box;
  }

  function Widget(root) {
    this.root = root;
    this.socket = null;
    this.idleTimer = null;
    this.idleMinutes = 15;
    this.build();
  }

  Widget.prototype.build = function () {
    var n = ++uid, self = this;
    this.who = el("p", { "class": "rc-who", id: "rc-who-" + n });
    this.signOutButton = el("button", { type: "button", "class": "rc-link", hidden: true,
                                        text: "Sign out" });
    this.notice = el("div", { "class": "rc-notice", role: "alert", hidden: true });
    this.log = el("div", { "class": "rc-log", role: "log", "aria-live": "polite",
                           "aria-label": "Conversation with Reconnect", tabindex: "0" });
    this.typing = el("p", { "class": "rc-typing", role: "status", "aria-live": "polite" });
    this.input = el("textarea", { id: "rc-input-" + n, rows: "2", disabled: true,
                                  autocomplete: "off",
                                  placeholder: "Name a client, or ask a question" });
    this.sendButton = el("button", { type: "submit", "class": "rc-send", disabled: true,
                                     text: "Send" });
    this.form = el("form", { "class": "rc-form", "aria-label": "Message to Reconnect" }, [
      el("label", { "for": "rc-input-" + n, "class": "rc-sr",
                    text: "Message to Reconnect (Enter sends, Shift+Enter for a new line)" }),
      this.input, this.sendButton]);
    this.box = el("section", { "class": "rc", "aria-labelledby": "rc-title-" + n }, [
      el("header", { "class": "rc-head" }, [
        el("h2", { id: "rc-title-" + n, "class": "rc-title", text: "Reconnect" }),
        this.who, this.signOutButton]),
      this.notice, this.log, this.typing, this.form]);
    this.root.appendChild(this.box);

    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value;
      if (!text.trim()) { self.input.focus(); return; }
      self.input.value = "";
      self.send(text, text);
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.form.requestSubmit ? self.form.requestSubmit() : self.sendButton.click();
      }
    });
    this.signOutButton.addEventListener("click", function () {
      self.end("You signed out.");
      self.root.dispatchEvent(new CustomEvent("reconnect:signed-out", { bubbles: true }));
    });
  };

  Widget.prototype.setReady = function (ready) {
    this.input.disabled = !ready;
    this.sendButton.disabled = !ready;
    this.signOutButton.hidden = !ready;
  };

  Widget.prototype.showNotice = function (message, withButton) {
    var self = this;
    this.notice.textContent = "";
    this.notice.appendChild(el("p", { text: message }));
    if (withButton) {
      var action;
      if (config.signInUrl) {
        action = el("a", { href: config.signInUrl, "class": "rc-button", text: "Sign in again" });
      } else {
        action = el("button", { type: "button", "class": "rc-button", text: "Sign in again" });
        action.addEventListener("click", function () { self.start(); });
      }
      this.notice.appendChild(action);
    }
    this.notice.hidden = false;
  };

  /* Ends the session: nothing of the conversation stays on screen. */
  Widget.prototype.wipe = function () {
    this.log.textContent = "";
    this.input.value = "";
    this.who.textContent = "";
    this.typing.textContent = "";
    clearTimeout(this.idleTimer);
  };

  Widget.prototype.end = function (reason) {
    if (this.socket) { this.socket.off(); this.socket.disconnect(); this.socket = null; }
    this.wipe();
    this.setReady(false);
    this.needSignIn(reason);
  };

  Widget.prototype.needSignIn = function (reason) {
    this.showNotice(reason || "Please sign in to use Reconnect.", !!(config.tokenUrl || config.signInUrl));
    this.root.dispatchEvent(new CustomEvent("reconnect:sign-in-needed",
                                            { bubbles: true, detail: { reason: reason } }));
  };

  /* Asks the portal's token URL for a token, then connects with it. */
  Widget.prototype.start = function () {
    var self = this;
    if (!config.tokenUrl) {
      this.needSignIn("Open Reconnect from your clinic portal to sign in.");
      return;
    }
    fetch(new URL(config.tokenUrl, document.baseURI), { credentials: "include", cache: "no-store" })
      .then(function (reply) {
        return reply.json().catch(function () { return {}; }).then(function (body) {
          if (reply.ok && body.token) { self.signIn(body.token); }
          else { self.needSignIn(body.error || "Please sign in to use Reconnect."); }
        });
      })
      .catch(function () { self.showNotice("Reconnect cannot be reached right now. Try again in a moment.", true); });
  };

  Widget.prototype.signIn = function (token) {
    var self = this;
    if (this.socket) { this.socket.off(); this.socket.disconnect(); }
    this.wipe();
    this.notice.hidden = true;
    this.typing.textContent = "Signing in\u2026";
    var socket = io(serverOrigin, { path: "/socket.io", auth: { token: token },
                                    reconnectionAttempts: 5 });
    this.socket = socket;
    socket.on("connect", function () { socket.emit("session_request", {}); });
    socket.on("connect_error", function (error) {
      if (error && error.type === "TransportError") {
        self.typing.textContent = "";
        self.showNotice("Reconnect cannot be reached right now. Trying again\u2026", false);
        return;
      }
      self.end((error && error.message) || "Your sign-in could not be verified. Please sign in again.");
    });
    socket.on("signed_in", function (who) {
      self.typing.textContent = "";
      self.notice.hidden = true;
      self.idleMinutes = who.idle_minutes || 15;
      self.who.textContent = "Signed in as " + (who.name || who.staff_id);
      self.setReady(true);
      self.touch();
    });
    socket.on("history", function (data) {
      self.log.setAttribute("aria-busy", "true");
      self.log.textContent = "";
      var messages = data.messages || [];
      messages.forEach(function (message, index) {
        if (message.from === "user") { self.showUser(message.text); }
        else { self.showBot(message, index < messages.length - 1); }
      });
      self.log.setAttribute("aria-busy", "false");
      self.scroll();
      self.openRequested();
    });
    socket.on("bot_uttered", function (message) { self.showBot(message, false); });
    socket.on("bot_typing", function (state) {
      self.typing.textContent = state && state.typing ? "Reconnect is typing\u2026" : "";
      self.box.classList.toggle("rc-busy", !!(state && state.typing));
    });
    socket.on("signed_out", function (data) { self.end(data && data.reason); });
    socket.on("disconnect", function (why) {
      if (why === "io server disconnect" && self.socket === socket) {
        self.end("Your session has ended. Please sign in again.");
      }
    });
  };

  /* Asks once for the item a link opened (after sign-in and the earlier messages), then
   * takes it off the address: a reload or going back does not ask again. */
  Widget.prototype.openRequested = function () {
    var item = requestedItem();
    if (!item || !this.socket || this.input.disabled) { return; }
    history.replaceState(history.state, "", window.location.pathname + window.location.search);
    this.send("#open=" + item, ITEMS[item]);
  };

  /* The idle time-out, as the server counts it: from the last message sent. */
  Widget.prototype.touch = function () {
    var self = this;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(function () {
      self.end("You were signed out after " + self.idleMinutes +
               " minutes without activity. Please sign in again.");
    }, this.idleMinutes * 60 * 1000);
  };

  Widget.prototype.send = function (payload, shown) {
    if (!this.socket) { return; }
    this.showUser(shown);
    this.socket.emit("user_uttered", { message: payload });
    this.touch();
    this.input.focus();
  };

  Widget.prototype.scroll = function () { this.log.scrollTop = this.log.scrollHeight; };

  Widget.prototype.showUser = function (text) {
    this.log.appendChild(el("div", { "class": "rc-msg rc-user" }, [
      el("span", { "class": "rc-sr", text: "You said: " }), formatText(text)]));
    this.scroll();
  };

  Widget.prototype.showBot = function (message, old) {
    var self = this;
    var item = el("div", { "class": "rc-msg rc-bot" }, [
      el("span", { "class": "rc-sr", text: "Reconnect: " })]);
    if (message.text) { item.appendChild(formatText(message.text)); }
    var image = message.image ||
      (message.attachment && message.attachment.type === "image" && message.attachment.payload &&
       message.attachment.payload.src);
    if (image) { item.appendChild(el("img", { src: image, alt: "Image from Reconnect", "class": "rc-image" })); }
    var custom = message.custom;
    if (custom && custom.type === "attendance_timeline" && /^data:image\//.test(custom.image || "")) {
      item.appendChild(el("figure", { "class": "rc-figure" }, [
        el("img", { src: custom.image, alt: custom.alt || "", "class": "rc-image" }),
        el("figcaption", { text: custom.caption || "" })]));
    }
    var buttons = message.buttons || message.quick_replies || [];
    if (buttons.length) {
      var group = el("div", { "class": "rc-choices", role: "group", "aria-label": "Choices" });
      buttons.forEach(function (button) {
        var b = el("button", { type: "button", "class": "rc-choice", text: button.title,
                               disabled: old });
        b.addEventListener("click", function () {
          Array.prototype.forEach.call(group.querySelectorAll("button"), function (other) {
            other.disabled = true;
          });
          b.setAttribute("aria-pressed", "true");
          self.send(button.payload, button.title);
        });
        group.appendChild(b);
      });
      item.appendChild(group);
    }
    this.log.appendChild(item);
    this.scroll();
  };

  function mount() {
    var root = document.getElementById(config.target);
    if (!root) { return; }
    var widget = new Widget(root);
    window.ReconnectWidget = {
      signIn: function (token) { widget.signIn(token); },
      start: function () { widget.start(); },
      signOut: function () { widget.end("You signed out."); }
    };
    window.addEventListener("hashchange", function () { widget.openRequested(); });
    widget.start();
  }

  var link = el("link", { rel: "stylesheet", href: base + "widget.css" });
  document.head.appendChild(link);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mount); }
  else { mount(); }
})();
