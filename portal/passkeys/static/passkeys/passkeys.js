/* Passkeys (WebAuthn): the forms marked data-passkey="register|signin|stepup".
   A submit asks the server for options (POST data-options-url), lets the browser
   create or use the credential, and posts the answer as JSON to data-verify-url; the
   server answers {redirect} or {error} (translated). The form's data-* attributes
   carry the translated messages of the browser side. Loaded as a file: the site's CSP
   allows no inline scripts. */
(function () {
  "use strict";

  function toBytes(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "===".slice((base64.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function toText(buffer) {
    let binary = "";
    new Uint8Array(buffer).forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(options) {
    return Object.assign({}, options, {
      challenge: toBytes(options.challenge),
      user: Object.assign({}, options.user, { id: toBytes(options.user.id) }),
      excludeCredentials: (options.excludeCredentials || []).map(
        (c) => Object.assign({}, c, { id: toBytes(c.id) })),
    });
  }

  function requestOptions(options) {
    return Object.assign({}, options, {
      challenge: toBytes(options.challenge),
      allowCredentials: (options.allowCredentials || []).map(
        (c) => Object.assign({}, c, { id: toBytes(c.id) })),
    });
  }

  function credentialJSON(credential) {
    const r = credential.response;
    const response = { clientDataJSON: toText(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      if (r.userHandle) response.userHandle = toText(r.userHandle);
    }
    return {
      id: credential.id, rawId: toText(credential.rawId), type: credential.type, response,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  }

  async function post(form, url, body) {
    const answer = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json",
                 "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await answer.json(); } catch (error) { data = {}; }
    if (!answer.ok || data.error) throw new Error(data.error || form.dataset.failed);
    return data;
  }

  function show(form, text) {
    const status = form.querySelector("[data-passkey-status]");
    status.textContent = text;
    status.hidden = !text;
  }

  async function run(form) {
    const mode = form.dataset.passkey;
    const next = form.querySelector("[name=next]");
    const name = form.querySelector("[name=name]");
    const options = (await post(form, form.dataset.optionsUrl, {})).options;
    show(form, "");
    let credential;
    try {
      credential = mode === "register"
        ? await navigator.credentials.create({ publicKey: creationOptions(options) })
        : await navigator.credentials.get({ publicKey: requestOptions(options) });
    } catch (error) {
      // InvalidStateError: the device already holds one of the passkeys excluded.
      throw new Error(error && error.name === "InvalidStateError"
        ? form.dataset.exists : form.dataset.cancelled);
    }
    const result = await post(form, form.dataset.verifyUrl, {
      credential: credentialJSON(credential),
      name: name ? name.value : undefined,
      next: next ? next.value : undefined,
    });
    window.location.assign(result.redirect);
  }

  document.querySelectorAll("form[data-passkey]").forEach((form) => {
    if (form.dataset.passkeyReady) return;  // the script may be included twice on a page
    form.dataset.passkeyReady = "true";
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!window.PublicKeyCredential || !navigator.credentials) {
        show(form, form.dataset.unsupported);
        return;
      }
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      show(form, "");
      run(form).catch((error) => {
        show(form, error.message || form.dataset.failed);
        button.disabled = false;
      });
    });
  });
})();
