# agb-script prelude: run once in every new R kernel (IRkernel), silently. The contract is in Prelude.java.
# 1. The value protocol. IRkernel sends every visible value as display_data; here the last one of a cell
#    becomes the execute_result (the main result) and carries application/vnd.agb.value+json.
# 2. .agb_bind(json), .agb_get(name), .agb_unbind(name), .agb_names(), .agb_functions(), .agb_call(name, json_args),
#    .agb_check(code), .agb_table(name), .agb_bind_table(name, json): names with a dot, so ls() does not list them.
local({
  agb_type <- "application/vnd.agb.value+json"
  unrepresentable <- structure(class = c("agb_unrepresentable", "error", "condition"),
                               list(message = "no JSON form", call = NULL))

  # --- R value -> JSON (NaN and infinities as tokens; integral doubles below 2^53 as integers) ---------
  number_json <- function(d) {
    if (is.nan(d)) return("NaN")
    if (is.na(d)) return("null")
    if (is.infinite(d)) return(if (d > 0) "Infinity" else "-Infinity")
    if (d == trunc(d) && abs(d) < 2^53) return(sprintf("%.0f", d))
    shortest <- format(d, digits = 15)
    if (as.numeric(shortest) == d) shortest else sprintf("%.17g", d)
  }
  string_json <- function(s) {
    if (is.na(s)) "null" else as.character(jsonlite::toJSON(enc2utf8(s), auto_unbox = TRUE))
  }
  usable_names <- function(n) !is.null(n) && all(nzchar(n)) && !anyNA(n) && !anyDuplicated(n)
  to_json <- function(x, depth = 0L) {
    if (depth > 100L) stop(unrepresentable)
    if (is.null(x)) return("null")
    if (is.factor(x)) x <- as.character(x)
    if (is.data.frame(x)) x <- as.list(x)
    n <- names(x)
    if (is.list(x) && is.null(attr(x, "class"))) {
      parts <- vapply(x, to_json, "", depth = depth + 1L, USE.NAMES = FALSE)
      if (!is.null(n) && length(x) > 0L) {
        if (!usable_names(n)) stop(unrepresentable)
        return(paste0("{", paste0(vapply(n, string_json, ""), ":", parts, collapse = ","), "}"))
      }
      if (!is.null(n)) return("{}")
      return(paste0("[", paste(parts, collapse = ","), "]"))
    }
    if (!is.atomic(x) || !is.null(attr(x, "class")) || !is.null(dim(x)) ||
        !(is.logical(x) || is.numeric(x) || is.character(x))) stop(unrepresentable)
    parts <- if (is.logical(x)) ifelse(is.na(x), "null", ifelse(x, "true", "false"))
             else if (is.character(x)) vapply(x, string_json, "", USE.NAMES = FALSE)
             else if (is.integer(x)) ifelse(is.na(x), "null", as.character(x))
             else vapply(x, number_json, "", USE.NAMES = FALSE)
    if (!is.null(n) && length(x) > 0L) {
      if (!usable_names(n)) stop(unrepresentable)
      return(paste0("{", paste0(vapply(n, string_json, ""), ":", parts, collapse = ","), "}"))
    }
    if (length(x) == 1L) parts else paste0("[", paste(parts, collapse = ","), "]")
  }
  value_json <- function(x) tryCatch(to_json(x), error = function(e) NULL)

  # --- JSON -> R value: arrays of same-typed scalars become vectors, objects named lists -------------
  marker <- "\u0001agb:"
  from_json <- function(text) {
    # NaN and infinities are no JSON for jsonlite: mark them as strings first (strings are matched whole,
    # so a "NaN" inside a string stays as it is).
    found <- gregexpr('"(?:[^"\\\\]|\\\\.)*"|-?Infinity|NaN', text, perl = TRUE)
    tokens <- regmatches(text, found)[[1]]
    if (length(tokens) && !all(startsWith(tokens, '"'))) {
      regmatches(text, found) <- list(ifelse(startsWith(tokens, '"'), tokens,
                                             paste0('"\\u0001agb:', tokens, '"')))
    }
    restore(jsonlite::parse_json(text, simplifyVector = FALSE))
  }
  restore <- function(v) {
    if (is.character(v) && length(v) == 1L && startsWith(v, marker)) {
      return(switch(substring(v, nchar(marker) + 1L), "NaN" = NaN, "Infinity" = Inf, "-Infinity" = -Inf))
    }
    if (!is.list(v)) return(v)
    v <- lapply(v, restore)
    if (is.null(names(v)) && length(v) > 0L && all(vapply(v, function(e) is.atomic(e) && length(e) == 1L, NA))) {
      kinds <- unique(vapply(v, function(e) if (is.numeric(e)) "number" else typeof(e), ""))
      if (length(kinds) == 1L) return(unlist(v))
    }
    v
  }

  # --- The prelude functions --------------------------------------------------------------------------
  # They work on the scope of the cell: the global environment, or the namespace a cell runs in (an
  # invokeFunction there).
  globals <- globalenv()
  namespaces <- new.env(parent = emptyenv())
  active <- NULL
  scope <- function() if (is.null(active)) globals else active$env
  assign(".agb_bind", function(json) {
    values <- from_json(json)
    for (name in names(values)) assign(name, values[[name]], envir = scope())
    invisible(NULL)
  }, envir = globals)
  assign(".agb_get", function(name) {
    if (startsWith(name, ".") || !exists(name, envir = scope(), inherits = FALSE)) return(list(found = FALSE))
    value <- get(name, envir = scope())
    answer <- list(found = TRUE, type = class(value)[1])
    if (is.data.frame(value)) {
      answer$rows <- nrow(value)
      answer$columns <- as.list(names(value))
    }
    if (is.null(value_json(value))) {
      answer$text <- paste(utils::capture.output(print(value)), collapse = "\n")
    } else {
      answer["value"] <- list(value) # so that a NULL value stays a member
    }
    answer
  }, envir = globals)
  assign(".agb_check", function(code) {
    tryCatch({
      parse(text = code)
      NULL
    }, error = function(e) {
      message <- conditionMessage(e)
      position <- regmatches(message, regexec("<text>:(\\d+):(\\d+): ", message))[[1]]
      if (length(position) == 3) {
        list(name = "SyntaxError", message = sub("^.*?<text>:\\d+:\\d+: ", "", message),
             line = as.integer(position[2]), column = max(1L, as.integer(position[3])))
      } else {
        list(name = "SyntaxError", message = message, line = -1L, column = -1L)
      }
    })
  }, envir = globals)
  assign(".agb_unbind", function(name) {
    if (!startsWith(name, ".") && exists(name, envir = scope(), inherits = FALSE)) rm(list = name, envir = scope())
    invisible(NULL)
  }, envir = globals)
  assign(".agb_names", function() {
    env <- scope()
    as.list(sort(Filter(function(n) !is.function(get(n, envir = env)), ls(env))))
  }, envir = globals)
  assign(".agb_functions", function() {
    # a namespace sees its own functions and the global environment's
    functions <- function(env) Filter(function(n) is.function(get(n, envir = env)), ls(env))
    as.list(sort(unique(c(functions(scope()), functions(globals)))))
  }, envir = globals)
  assign(".agb_namespaces", function() as.list(sort(ls(namespaces))), envir = globals)
  crosses <- function(column) {
    is.factor(column) || (is.atomic(column) && is.null(attr(column, "class")) &&
                            (is.logical(column) || is.numeric(column) || is.character(column)))
  }
  assign(".agb_table", function(name) {
    frame <- get0(name, envir = scope(), inherits = FALSE)
    if (startsWith(name, ".") || !is.data.frame(frame)) stop(name, " is no data.frame", call. = FALSE)
    for (column in names(frame)) {
      if (!crosses(frame[[column]])) {
        stop("column '", column, "' holds ", class(frame[[column]])[1], " values, which have no JSON form",
             call. = FALSE)
      }
    }
    columns <- lapply(frame, function(v) if (is.factor(v)) as.character(v) else v)
    records <- lapply(seq_len(nrow(frame)), function(i) lapply(columns, function(v) v[[i]]))
    list(columns = as.list(names(frame)), records = records)
  }, envir = globals)
  assign(".agb_bind_table", function(name, json) {
    table <- from_json(json)
    columns <- as.character(unlist(table$columns))
    cells <- function(column) unlist(lapply(table$records, function(record) {
      if (is.null(record[[column]])) NA else record[[column]]
    }))
    frame <- if (length(table$records)) lapply(columns, cells) else rep(list(logical(0)), length(columns))
    assign(name, as.data.frame(stats::setNames(frame, columns), stringsAsFactors = FALSE, check.names = FALSE),
           envir = scope())
    invisible(NULL)
  }, envir = globals)
  assign(".agb_call", function(name, json_args) {
    f <- get0(name, envir = scope(), mode = "function", inherits = FALSE)
    if (is.null(f)) f <- get0(name, envir = globals, mode = "function", inherits = FALSE)
    if (is.null(f)) stop("agb-no-such-function: ", name, call. = FALSE)
    do.call(f, as.list(from_json(json_args)))
  }, envir = globals)

  # --- Child processes: system() and system2() write to the kernel's own stdout, which IRkernel does not
  # capture. Versions on the search path (ahead of base) run the command through a pipe and print its output,
  # stderr merged into stdout, line by line as it comes.
  status_mark <- "__agb_exit_status__:"
  piped <- function(command_line) {
    con <- pipe(paste0("{ ", command_line, "\n} 2>&1; echo ", status_mark, "$?"), "r")
    on.exit(close(con))
    status <- 127L
    repeat {
      line <- readLines(con, n = 1L, warn = FALSE)
      if (!length(line)) break
      if (startsWith(line, status_mark)) {
        status <- as.integer(substring(line, nchar(status_mark) + 1L))
      } else {
        cat(line, "\n", sep = "")
        utils::flush.console()
      }
    }
    invisible(status)
  }
  tools <- new.env()
  tools$system <- function(command, intern = FALSE, ignore.stdout = FALSE, ignore.stderr = FALSE, wait = TRUE, ...) {
    if (intern || !wait || ignore.stdout || ignore.stderr) {
      return(base::system(command, intern = intern, ignore.stdout = ignore.stdout, ignore.stderr = ignore.stderr,
                          wait = wait, ...))
    }
    piped(command)
  }
  tools$system2 <- function(command, args = character(), stdout = "", stderr = "", ...) {
    if (!identical(stdout, "") || !identical(stderr, "") || length(list(...))) {
      return(base::system2(command, args, stdout = stdout, stderr = stderr, ...))
    }
    piped(paste(c(shQuote(command), args), collapse = " "))
  }
  attach(tools, name = "agb:tools", warn.conflicts = FALSE)

  # --- The main result: hold back each visible value until the cell goes on; the last one is it -----
  executor <- NULL
  for (i in rev(seq_len(sys.nframe()))) {
    env <- environment(sys.function(i))
    if (is.environment(env) && exists(".self", envir = env, inherits = FALSE) &&
        methods::is(get(".self", envir = env), "Executor")) {
      executor <- get(".self", envir = env)
      break
    }
  }
  if (is.null(executor)) stop("agb prelude: IRkernel's executor was not found")
  irkernel <- asNamespace("IRkernel")
  send <- executor$send_response
  original_handle_value <- executor$handle_value
  held <- NULL
  # IRkernel names no line for an error in top-level code: find the expression evaluate was running.
  error_line <- NA_integer_
  original_handle_error <- executor$handle_error
  cell_line <- function() {
    code <- executor$current_request$content$code
    for (i in rev(seq_len(sys.nframe()))) {
      call <- sys.call(i)
      if (is.call(call) && identical(deparse(call[[1]]), "evaluate_call")) {
        src <- sub("\n$", "", paste(get("src", envir = sys.frame(i)), collapse = ""))
        at <- regexpr(src, code, fixed = TRUE)
        if (at < 0L) return(NA_integer_)
        # skip leading comment and blank lines of the expression's source
        lead <- regmatches(src, regexpr("^(\\s*(#[^\n]*)?\n)*", src))
        return(1L + lengths(regmatches(substr(code, 1L, at - 1L + nchar(lead)), gregexpr("\n", substr(code, 1L, at - 1L + nchar(lead))))))
      }
    }
    NA_integer_
  }
  handle_error <- function(e) {
    error_line <<- tryCatch(cell_line(), error = function(ignored) NA_integer_)
    original_handle_error(e)
  }
  release <- function(parent) {
    bundle <- held
    held <<- NULL
    bundle$data[[agb_type]] <- NULL
    send("display_data", parent, "iopub", bundle)
  }
  interrupted <- list(ename = "Interrupted", evalue = "the R code was interrupted",
                      traceback = list("Interrupted: the R code was interrupted"))
  executor$send_response <- function(msg_type, parent_msg, socket_name, content) {
    if (identical(msg_type, "execute_reply") && identical(content$status, "abort")) {
      # IRkernel reports an interrupted cell as aborted, with no error: report it as the other kernels do
      if (!is.null(held)) release(parent_msg)
      send("error", parent_msg, "iopub", interrupted)
      content <- c(list(status = "error", execution_count = content$execution_count), interrupted)
    }
    if (!is.na(error_line) && (identical(msg_type, "error") ||
                               (identical(msg_type, "execute_reply") && identical(content$status, "error")))) {
      content$traceback <- c(content$traceback, list(sprintf("(at line %d of the cell)", error_line)))
      if (identical(msg_type, "execute_reply")) error_line <<- NA_integer_
    }
    if (identical(msg_type, "execute_reply") && !is.null(active)) {
      left <- tryCatch(snapshot(active), error = function(e) {
        '{"assigned":{},"deleted":[]}' # never in the way of the reply; nothing is written back then
      })
      if (!is.null(held)) {
        held$data[["application/vnd.agb.namespace+json"]] <<- left # rides with the main result: no message more
      } else {
        send("display_data", parent_msg, "iopub", list(data = list("application/vnd.agb.namespace+json" = left),
                                                        metadata = get("namedlist", envir = irkernel)()))
      }
    }
    if (!is.null(held)) {
      if (identical(msg_type, "execute_reply")) {
        bundle <- held
        held <<- NULL
        send("execute_result", parent_msg, "iopub", c(bundle, list(execution_count = executor$execution_count)))
      } else if (identical(msg_type, "display_data") && !is.null(content$data[["image/png"]])) {
        # a plot IRkernel sends at the end of the cell: it was drawn before the value was computed
      } else if (msg_type %in% c("stream", "display_data", "update_display_data", "error", "clear_output")) {
        release(parent_msg)
      }
    }
    send(msg_type, parent_msg, socket_name, content)
  }
  handle_value <- function(obj, visible) {
    if (!visible || length(intersect(class(obj), getOption("jupyter.pager_classes"))) > 0L) {
      return(original_handle_value(obj, visible))
    }
    get("set_last_value", envir = irkernel)(obj)
    bundle <- get("prepare_mimebundle_kernel", envir = irkernel)(obj, executor$handle_display_error)
    if (is.null(bundle$data)) return(invisible())
    json <- value_json(obj)
    if (!is.null(json)) bundle$data[[agb_type]] <- json
    if (!is.null(held)) release(executor$current_request)
    held <<- bundle
    invisible()
  }
  # --- Namespaces: a cell whose first line is "# agb-namespace <id> <header-json>" runs in an environment of
  # its own whose parent is the global environment (the engine's per-Bindings scope; Prelude.java has the
  # protocol). IRkernel's execute evaluates in .GlobalEnv through evaluate(), which it finds from the executor
  # object: a version there evaluates in the active namespace instead.
  namespace_mark <- "# agb-namespace "
  original_execute <- executor$execute
  execute <- function(request) {
    code <- request$content$code
    if (!startsWith(code, namespace_mark)) return(original_execute(request))
    newline <- regexpr("\n", code, fixed = TRUE)[[1]]
    marker <- if (newline < 0L) code else substr(code, 1L, newline - 1L)
    request$content$code <- if (newline < 0L) "" else substring(code, newline + 1L)
    rest <- substring(marker, nchar(namespace_mark) + 1L)
    space <- regexpr(" ", rest, fixed = TRUE)[[1]]
    id <- if (space < 0L) rest else substr(rest, 1L, space - 1L)
    header <- tryCatch(if (space < 0L) list() else from_json(substring(rest, space + 1L)), error = function(e) {
      request$content$code <<- sprintf("stop(%s, call. = FALSE)",
                                       deparse(paste("agb: a namespace header that is no JSON:", conditionMessage(e))))
      list()
    })
    for (gone in as.character(unlist(header$drop))) {
      if (exists(gone, envir = namespaces, inherits = FALSE)) rm(list = gone, envir = namespaces)
    }
    env <- get0(id, envir = namespaces, inherits = FALSE)
    if (is.null(env)) {
      env <- new.env(parent = globals)
      assign(id, env, envir = namespaces)
    }
    seeded <- character(0)
    for (name in names(header$seed)) {
      value <- header$seed[[name]]
      assign(name, value, envir = env)
      json <- value_json(value)
      seeded[[name]] <- if (is.null(json)) NA_character_ else json
    }
    active <<- list(env = env, seeded = seeded)
    on.exit({
      active <<- NULL
      get("set_last_value", envir = irkernel)(NULL) # .Last.value would carry the cell's value to the next one
    })
    original_execute(request)
  }
  snapshot <- function(namespace) {
    # What the engine writes back: values with a JSON form that changed since the seed, and seeded names deleted.
    env <- namespace$env
    assigned <- character(0)
    for (name in ls(env)) {
      value <- get(name, envir = env)
      if (is.function(value)) next
      json <- value_json(value)
      if (is.null(json) || identical(unname(namespace$seeded[name]), json)) next
      assigned <- c(assigned, paste0(string_json(name), ":", json))
    }
    deleted <- setdiff(names(namespace$seeded), ls(env, all.names = TRUE))
    paste0('{"assigned":{', paste(assigned, collapse = ","), '},"deleted":[',
           paste(vapply(deleted, string_json, "", USE.NAMES = FALSE), collapse = ","), "]}")
  }
  namespace_evaluate <- function(input, envir = parent.frame(), ...) {
    evaluate::evaluate(input, envir = if (is.null(active)) envir else active$env, ...)
  }

  object <- as.environment(executor)
  if (bindingIsLocked("execute", object)) unlockBinding("execute", object)
  assign("execute", execute, envir = object)
  assign("evaluate", namespace_evaluate, envir = object)
  if (bindingIsLocked("handle_value", object)) unlockBinding("handle_value", object)
  assign("handle_value", handle_value, envir = object)
  if (bindingIsLocked("handle_error", object)) unlockBinding("handle_error", object)
  assign("handle_error", handle_error, envir = object)
})
