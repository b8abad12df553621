namespace Helsingborg;

internal static class Placeholder;
