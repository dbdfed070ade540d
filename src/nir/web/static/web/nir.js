// Progressive enhancement only; every page works without this file.
// Move focus to the error summary so keyboard and screen-reader users hear what to fix.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("feiloppsummering");
  if (summary) {
    summary.focus();
  }
});

// Sortable tables: each column header of a table marked data-sortable becomes a button
// (reachable by Tab, pressed with Enter or Space) that sorts the body's rows by that
// column; aria-sort tells screen readers the order. Totals in <tfoot> stay at the foot.
(function () {
  function sortKey(cell) {
    var text = (cell.getAttribute("data-sort") || cell.textContent || "").trim();
    var date = /^(\d{2})\.(\d{2})\.(\d{4})/.exec(text);
    if (date) {
      return { n: Number(date[3] + date[2] + date[1]) };
    }
    // Norwegian numbers: «1 234», «12,5 %»; «–» and «.» (hidden) sort below every number.
    var compact = text.replace(/[\s\u00a0\u202f%]/g, "").replace(",", ".");
    if (compact === "" || compact === "–" || compact === "." || compact === "-") {
      return { n: -Infinity };
    }
    if (/^-?\d+(\.\d+)?$/.test(compact)) {
      return { n: Number(compact) };
    }
    return { s: text.toLocaleLowerCase("nb") };
  }

  function compare(a, b) {
    if ("n" in a && "n" in b) {
      return a.n === b.n ? 0 : a.n < b.n ? -1 : 1;
    }
    if ("n" in a) {
      return -1;
    }
    if ("n" in b) {
      return 1;
    }
    return a.s.localeCompare(b.s, "nb");
  }

  function sortBy(table, headers, index) {
    var header = headers[index];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, position) {
      return { row: row, key: sortKey(row.cells[index] || row), position: position };
    });
    keyed.sort(function (a, b) {
      var order = compare(a.key, b.key) || a.position - b.position;
      return ascending ? order : -order;
    });
    keyed.forEach(function (item) {
      body.appendChild(item.row);
    });
    headers.forEach(function (other) {
      other.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function enhance(table) {
    var head = table.tHead;
    if (!head || !table.tBodies.length) {
      return;
    }
    var headers = Array.prototype.slice.call(head.rows[head.rows.length - 1].cells);
    headers.forEach(function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) {
        button.appendChild(header.firstChild);
      }
      header.appendChild(button);
      button.addEventListener("click", function () {
        sortBy(table, headers, index);
      });
    });
    table.classList.add("table--sorting");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-sortable]").forEach(enhance);
  });
})();
