namespace Helsingborg.Tests.Web;

/// <summary>The page test classes, one after the other on one <see cref="PagesHost"/> and its seeded case.</summary>
[CollectionDefinition(Name)]
public sealed class PagesCollection : ICollectionFixture<PagesHost>
{
    public const string Name = "Pages host";
}
