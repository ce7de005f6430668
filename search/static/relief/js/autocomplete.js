/*
 * Search suggestions for any input with a data-autocomplete-url attribute.
 * Progressive enhancement: without this script the form still submits to /search/.
 * The input becomes a combobox with a listbox of article titles, section headings
 * and topics; arrow keys move, Enter follows, Escape closes the list and keeps
 * the text.
 */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY_MS = 200;
  var counter = 0;

  function enhance(input) {
    counter += 1;
    var listId = "autocomplete-list-" + counter;
    var list = document.createElement("ul");
    var timer = null;
    var controller = null;
    var active = -1;
    var options = [];

    list.id = listId;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search suggestions");
    list.className = "autocomplete-list";
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        // The list scrolls; keep the chosen suggestion in sight.
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(results) {
      close();
      if (!results.length) {
        return;
      }
      results.forEach(function (result, i) {
        var option = document.createElement("li");
        var link = document.createElement("a");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "autocomplete-" + result.type;
        link.href = result.url;
        link.tabIndex = -1;
        // textContent, never innerHTML: labels are editor text.
        link.textContent = result.label;
        if (result.type === "section" && result.article) {
          var context = document.createElement("span");
          context.textContent = " (in " + result.article + ")";
          link.appendChild(context);
        }
        option.appendChild(link);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.assign(result.url);
        });
        list.appendChild(option);
        options.push(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        close();
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var url = input.dataset.autocompleteUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          render(data.results || []);
        })
        .catch(function () {
          /* Suggestions are optional; the form still works. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        if (!list.hidden) {
          // A search input clears itself on Escape; here Escape only closes
          // the suggestions and keeps what was typed.
          event.preventDefault();
        }
        window.clearTimeout(timer);
        if (controller) {
          controller.abort();
        }
        close();
        return;
      }
      if (!options.length) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(options[active].querySelector("a").href);
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  }

  function init() {
    document.querySelectorAll("input[data-autocomplete-url]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
