package io.dnalab.cli;

import io.dnalab.cluster.SlurmException;
import io.dnalab.data.DataFormatException;
import io.dnalab.spec.SpecException;
import io.dnalab.store.ResultStore;
import io.dnalab.tokenize.InvalidSequenceException;
import io.dnalab.tokenize.TokenizerFileException;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every dnalab command line ({@link DnalabCli}, and {@code dnalab bench}) reports a failure,
 * so that all commands read the same:
 *
 * <ul>
 *   <li>a user error (a spec, task, data file, tokenizer file or result store that cannot be
 *       used, a missing file, a bad flag): one line {@code dnalab COMMAND: message} on stderr,
 *       where the message names the file, line and value; exit status {@link #USER_ERROR} (a
 *       command may choose another, see {@link UserErrorStatus});
 *   <li>anything else (a bug, a failure inside the engine): one line naming the exception and
 *       saying {@code run with --debug for the stack trace}; exit status {@link #INTERNAL_ERROR};
 *   <li>with {@code --debug} (an option every command inherits from the top command), the stack
 *       trace follows the line.
 * </ul>
 */
public final class CliErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {
  /** Exit status of a user error: the input must change, running again will not help. */
  public static final int USER_ERROR = 2;
  /** Exit status of anything else. */
  public static final int INTERNAL_ERROR = 1;

  /** The inherited option that asks for stack traces; declare it on the top command. */
  public static final String DEBUG_OPTION = "--debug";

  /**
   * SQLite's answers for a file that is not a usable store (garbage, truncated, read-only, in a
   * folder that cannot be written); any other SQLite error is a bug of ours.
   */
  private static final Set<SQLiteErrorCode> UNREADABLE_STORE = Set.of(
      SQLiteErrorCode.SQLITE_NOTADB, SQLiteErrorCode.SQLITE_CORRUPT,
      SQLiteErrorCode.SQLITE_CANTOPEN, SQLiteErrorCode.SQLITE_READONLY,
      SQLiteErrorCode.SQLITE_PERM);

  /**
   * A user error a command raises itself, e.g. a flag value it cannot use; the message must name
   * what is wrong and the value.
   */
  public static final class UserError extends RuntimeException {
    public UserError(String message) {
      super(message);
    }

    public UserError(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Implemented by a command whose user errors have another documented exit status: {@code data
   * check} says 1 when the data are invalid (that is its answer), 2 with {@code --strict}.
   */
  public interface UserErrorStatus {
    int userErrorStatus();
  }

  /** Installs the handlers on {@code commandLine}; its subcommands inherit them. */
  public static CommandLine install(CommandLine commandLine) {
    CliErrors handler = new CliErrors();
    commandLine.setExecutionExceptionHandler(handler);
    commandLine.setParameterExceptionHandler(handler);
    return commandLine;
  }

  @Override
  public int handleExecutionException(Exception exception, CommandLine commandLine,
      ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    boolean debug = debugRequested(parseResult);
    String prefix = commandLine.getCommandSpec().qualifiedName(" ") + ": ";
    Optional<String> userMessage = userMessage(exception);
    int status;
    if (userMessage.isPresent()) {
      err.println(prefix + userMessage.get());
      status = commandLine.getCommand() instanceof UserErrorStatus custom
          ? custom.userErrorStatus() : USER_ERROR;
    } else {
      err.println(prefix + "unexpected error: " + exception.getClass().getSimpleName() + ": "
          + exception.getMessage() + (debug ? "" : " (run with " + DEBUG_OPTION
          + " for the stack trace)"));
      status = INTERNAL_ERROR;
    }
    if (debug) {
      exception.printStackTrace(err);
    }
    err.flush();
    return status;
  }

  /** A bad flag or a missing argument: one line and where to look, no usage screen. */
  @Override
  public int handleParseException(ParameterException exception, String[] args) {
    CommandLine commandLine = exception.getCommandLine();
    PrintWriter err = commandLine.getErr();
    String name = commandLine.getCommandSpec().qualifiedName(" ");
    String hint = "";
    if (exception instanceof UnmatchedArgumentException unmatched
        && !unmatched.getSuggestions().isEmpty()) {
      hint = "did you mean " + String.join(" or ", unmatched.getSuggestions()) + "? ";
    }
    err.println(name + ": " + exception.getMessage() + " (" + hint + "see " + name
        + " --help)");
    err.flush();
    return USER_ERROR;
  }

  /**
   * The one-line message when {@code exception} or one of its causes is a user error, outermost
   * first (its message has the most context), or empty when it is not one.
   */
  static Optional<String> userMessage(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      Optional<String> message = ownMessage(t);
      if (message.isPresent()) {
        return message;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> ownMessage(Throwable t) {
    if (t instanceof UserError || t instanceof SpecException || t instanceof DataFormatException
        || t instanceof TokenizerFileException || t instanceof InvalidSequenceException
        || t instanceof ResultStore.StoreException || t instanceof InvalidPathException
        || t instanceof SlurmException) {
      return Optional.of(t.getMessage());
    }
    if (t instanceof NoSuchFileException missing) {
      return Optional.of("no such file: " + missing.getFile());
    }
    if (t instanceof AccessDeniedException denied) {
      return Optional.of("permission denied: " + denied.getFile());
    }
    if (t instanceof FileSystemException || t instanceof FileNotFoundException) {
      return Optional.of(t.getMessage());
    }
    if (t instanceof UncheckedIOException wrapper
        && (wrapper.getCause() instanceof FileSystemException
            || wrapper.getCause() instanceof FileNotFoundException)
        && !wrapper.getMessage().contains(wrapper.getCause().getClass().getName())) {
      // Its own message says what was being done ("cannot create the folder of ..."); one made
      // by new UncheckedIOException(cause) only repeats the cause, handled on the next turn.
      return Optional.of(wrapper.getMessage());
    }
    if (t instanceof SQLiteException sqlite && UNREADABLE_STORE.contains(sqlite.getResultCode())) {
      return Optional.of(t.getMessage());
    }
    // Validation in dnalab (a spec, a flag's value) throws IllegalArgumentException; the same
    // exception from a library (a tensor shape in DJL) is a bug of ours, not of the input.
    if (t instanceof IllegalArgumentException && t.getStackTrace().length > 0
        && t.getStackTrace()[0].getClassName().startsWith("io.dnalab.")) {
      return Optional.of(t.getMessage());
    }
    return Optional.empty();
  }

  private static boolean debugRequested(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(DEBUG_OPTION)) {
        return true;
      }
    }
    return false;
  }
}
