/* The demo page's sign-in: only served when no sign-in secret or key is configured. It does
 * what a clinic portal does: signs a staff member in (a short-lived token in an HttpOnly
 * cookie) and answers the widget's token URL (demo/token). */
(function () {
  "use strict";
  var form = document.getElementById("demo-sign-in");
  if (!form) { return; }
  var select = document.getElementById("demo-staff");
  var status = document.getElementById("demo-status");

  fetch("demo/staff", { cache: "no-store" }).then(function (reply) { return reply.json(); })
    .then(function (staff) {
      staff.forEach(function (member) {
        var option = document.createElement("option");
        option.value = member.id;
        option.textContent = member.name + " (" + member.id + ", " + member.role.replace("_", " ") + ")";
        select.appendChild(option);
      });
    })
    .catch(function () { status.textContent = "The demo clinic's staff could not be loaded."; });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch("demo/sign-in", { method: "POST", headers: { "Content-Type": "application/json" },
                            body: JSON.stringify({ staff_id: select.value }) })
      .then(function (reply) { return reply.json().then(function (body) { return [reply.ok, body]; }); })
      .then(function (result) {
        if (!result[0]) { status.textContent = result[1].error || "Sign-in failed."; return; }
        status.textContent = "Signed in.";
        window.ReconnectWidget.signIn(result[1].token);
        var input = document.querySelector(".rc-form textarea");
        if (input) { setTimeout(function () { input.focus(); }, 0); }
      });
  });

  document.addEventListener("reconnect:signed-out", function () {
    fetch("demo/sign-out", { method: "POST" });
    status.textContent = "";
  });
})();
