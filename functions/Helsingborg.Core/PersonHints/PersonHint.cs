namespace Helsingborg.PersonHints;

/// <summary>One stored hint: a field and the keyed hash of its normalised value.</summary>
public sealed record PersonHint(PersonHintField Field, string Hash)
{
    /// <summary>The hint's name in storage: <c>alias|{hash}</c> or <c>contact|{hash}</c>.</summary>
    public string Key => $"{KebabCase.Name(Field)}|{Hash}";

    /// <summary>The hint named by <see cref="Key"/>, or null for a value that names none.</summary>
    public static PersonHint? FromKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int bar = key.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && KebabCase.TryParse(key[..bar], out PersonHintField field) && key.Length > bar + 1
            ? new PersonHint(field, key[(bar + 1)..])
            : null;
    }
}
