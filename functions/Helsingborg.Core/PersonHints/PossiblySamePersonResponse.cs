using Helsingborg.Lifecycle;

namespace Helsingborg.PersonHints;

/// <summary>
/// <c>GET /api/cases/{caseId}/possibly-same-person</c>: the other cases whose person has the same alias or contact, as
/// suggestions for a coordinator to look at; nothing personal, and nothing is linked by it.
/// </summary>
public sealed record PossiblySamePersonResponse(IReadOnlyList<PossiblySamePerson> Items);

/// <summary>
/// One other case the caller may see, not erased, that shares <see cref="Matched"/> with the case: its number, when it
/// was opened, who reported it and its phase.
/// </summary>
public sealed record PossiblySamePerson(string CaseId, string? Reference, DateTimeOffset? OpenedAt, string? ReportedBy, Phase Phase, IReadOnlyList<PersonHintField> Matched);
