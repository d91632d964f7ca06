/* The demo site's marketing pixel (served locally): it stores the cookie the register declares
   for Annonsnätverket Norden AB. Runs only after consent to marketing, except where a page loads
   it directly (the planted mistake the cookie scan finds). */
(function () {
  if (document.cookie.indexOf("_an_uid=") < 0) {
    document.cookie = "_an_uid=" + Math.random().toString(36).slice(2) + "; Path=/; Max-Age=" + 90 * 86400 + "; SameSite=Lax";
  }
})();
