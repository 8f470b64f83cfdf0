// A search box that filters a list as one types (accents and case ignored):
// <input data-filter-list="ID"> over <ul id="ID"><li data-filter-text="...">.
document.querySelectorAll("[data-filter-list]").forEach(function (box) {
  var list = document.getElementById(box.dataset.filterList);
  var fold = function (s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase(); };
  box.addEventListener("input", function () {
    var q = fold(box.value.trim());
    list.querySelectorAll("li[data-filter-text]").forEach(function (li) { li.hidden = q && fold(li.dataset.filterText).indexOf(q) < 0; });
  });
});
