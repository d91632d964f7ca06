/* The demo site's statistics script (served locally): it stores the two cookies the register
   declares for Besöksstatistik Sverige AB. Runs only after consent to statistics. */
(function () {
  var year = 13 * 30 * 24 * 3600;
  if (document.cookie.indexOf("_bs_id=") < 0) {
    document.cookie = "_bs_id=" + Math.random().toString(36).slice(2) + "; Path=/; Max-Age=" + year + "; SameSite=Lax";
  }
  document.cookie = "_bs_ses=1; Path=/; Max-Age=86400; SameSite=Lax";
})();
