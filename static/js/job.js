/* A running job's page follows its progress: every few seconds the job's section is fetched again and put in place
   of the old one, until the job is finished. From a file because the Content-Security-Policy allows no inline
   script; without JavaScript the page shows the state when it was loaded, and reloading it shows the new one. */
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const section = document.querySelector("[data-job-refresh]");
  if (!section) return;
  const delay = 1000 * (Number(section.dataset.jobRefresh) || 3);

  const poll = async () => {
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-job]");
      const current = document.querySelector("[data-job]");
      if (!fresh || !current) return;
      current.replaceWith(fresh);
      if (fresh.hasAttribute("data-job-refresh")) window.setTimeout(poll, delay);
    } catch {
      window.setTimeout(poll, 2 * delay); // the server is busy or restarting: try again, less often
    }
  };
  window.setTimeout(poll, delay);
});
