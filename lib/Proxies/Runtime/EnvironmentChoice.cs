namespace Proxies.Runtime;

/// <summary>A process-wide choice read from an environment variable: one of a few words (any case), a default when the
/// variable is unset or empty, and otherwise a message naming the variable and what is allowed.</summary>
public sealed class EnvironmentChoice<T>(string variable, IReadOnlyList<(string Word, T Value)> choices, T unset)
{
    /// <summary>What is wrong with the variable, or null when it is unset or one of the words.</summary>
    public string? Error() => Parse().Error;

    /// <summary>The value the variable names; a misspelt one throws, saying what is allowed.</summary>
    public T Read()
    {
        var (value, error) = Parse();
        return error is null ? value : throw new ArgumentException(error);
    }

    (T Value, string? Error) Parse()
    {
        var word = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(word)) return (unset, null);
        foreach (var (w, v) in choices) if (w == word.ToLowerInvariant()) return (v, null);
        return (unset, $"{variable}={word}: must be one of {string.Join(", ", choices.Select(c => c.Word))}");
    }
}
