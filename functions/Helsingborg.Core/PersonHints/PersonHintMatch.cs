namespace Helsingborg.PersonHints;

/// <summary>Another case that shares a hint with a case: its id, when it was opened and the fields it shares.</summary>
public sealed record PersonHintMatch(string CaseId, DateTimeOffset? OpenedAt, IReadOnlyList<PersonHintField> Fields);
