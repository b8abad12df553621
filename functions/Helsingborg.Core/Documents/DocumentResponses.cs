namespace Helsingborg.Documents;

/// <summary>The answer of <c>POST /api/cases/{caseId}/documents</c>: the new document's id.</summary>
public sealed record DocumentCreated(string DocumentId);

/// <summary>The answer of <c>GET /api/cases/{caseId}/documents</c>: names, types and sizes, never contents.</summary>
public sealed record DocumentList(IReadOnlyList<DocumentInfo> Items);
