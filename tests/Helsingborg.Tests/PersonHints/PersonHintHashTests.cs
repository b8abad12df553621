using System.Security.Cryptography;
using Helsingborg.PersonHints;

namespace Helsingborg.Tests.PersonHints;

/// <summary>data-protection.md rule 9: what is normalised before hashing, and that the hash is keyed and bound to its field.</summary>
[Trait("Category", "Unit")]
public sealed class PersonHintHashTests
{
    static readonly byte[] Key = RandomNumberGenerator.GetBytes(PersonHintHash.KeySize);

    [Theory]
    [InlineData("Maria", "maria")]
    [InlineData("  MARIA   del\tCarmen \n", "maria del carmen")]
    [InlineData("Ｍａｒｉａ", "maria")]
    [InlineData("Åsa Öberg", "åsa öberg")]
    public void An_alias_is_trimmed_case_folded_and_its_whitespace_collapsed(string alias, string expected) =>
        Assert.Equal(expected, PersonHintNormaliser.Alias(alias));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t ")]
    public void Nothing_to_compare_gives_no_hint(string? value)
    {
        Assert.Null(PersonHintNormaliser.Alias(value));
        Assert.Null(PersonHintNormaliser.Contact(value));
        Assert.Empty(PersonHintHash.Of(Key, value, value));
    }

    [Theory]
    [InlineData("+46 70-123 45 67", "0701234567")]
    [InlineData("070-123 45 67", "0701234567")]
    [InlineData("0046 (0)70 123 45 67", "0701234567")]
    [InlineData("(070) 123.45.67", "0701234567")]
    [InlineData("+40 712 345 678", "+40712345678")]
    [InlineData("0040712345678", "+40712345678")]
    public void A_phone_number_is_reduced_to_its_digits_a_swedish_one_in_national_form(string contact, string expected) =>
        Assert.Equal(expected, PersonHintNormaliser.Contact(contact));

    [Theory]
    [InlineData(" Maria.Example@Example.COM ", "maria.example@example.com")]
    [InlineData("maria.example @ example.com", "maria.example@example.com")]
    public void An_email_address_is_lower_cased_without_whitespace(string contact, string expected) =>
        Assert.Equal(expected, PersonHintNormaliser.Contact(contact));

    [Theory]
    [InlineData("Via  the Hotel  Reception", "via the hotel reception")]
    [InlineData("112", "112")]
    public void Other_contacts_are_normalised_as_text(string contact, string expected) =>
        Assert.Equal(expected, PersonHintNormaliser.Contact(contact));

    [Fact]
    public void The_same_value_under_the_same_key_gives_the_same_hash()
    {
        IReadOnlyList<PersonHint> first = PersonHintHash.Of(Key, "Maria", "+46 70 123 45 67");
        IReadOnlyList<PersonHint> second = PersonHintHash.Of(Key, " MARIA ", "070-123 45 67");

        Assert.Equal([PersonHintField.Alias, PersonHintField.Contact], first.Select(h => h.Field));
        Assert.Equal(first, second);
        Assert.All(first, h => Assert.Matches("^[0-9a-f]{64}$", h.Hash));
    }

    [Fact]
    public void Another_key_gives_another_hash()
    {
        byte[] other = RandomNumberGenerator.GetBytes(PersonHintHash.KeySize);

        Assert.NotEqual(PersonHintHash.Of(Key, PersonHintField.Alias, "maria"), PersonHintHash.Of(other, PersonHintField.Alias, "maria"));
    }

    [Fact]
    public void A_hash_is_bound_to_its_field_and_is_no_plain_hash_of_the_value()
    {
        string alias = PersonHintHash.Of(Key, PersonHintField.Alias, "0701234567");
        string contact = PersonHintHash.Of(Key, PersonHintField.Contact, "0701234567");

        Assert.NotEqual(alias, contact);
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData("0701234567"u8)), contact);
        Assert.DoesNotContain("0701234567", contact, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_values_give_different_hashes() =>
        Assert.NotEqual(PersonHintHash.Of(Key, PersonHintField.Alias, "maria"), PersonHintHash.Of(Key, PersonHintField.Alias, "marie"));

    [Fact]
    public void A_key_of_the_wrong_size_is_refused() =>
        Assert.Throws<ArgumentException>(() => PersonHintHash.Of(new byte[16], PersonHintField.Alias, "maria"));

    [Fact]
    public void A_hint_reads_back_from_its_storage_key()
    {
        var hint = new PersonHint(PersonHintField.Contact, PersonHintHash.Of(Key, PersonHintField.Contact, "0701234567"));

        Assert.Equal(hint, PersonHint.FromKey(hint.Key));
        Assert.StartsWith("contact|", hint.Key, StringComparison.Ordinal);
        Assert.Null(PersonHint.FromKey("colour|abc"));
        Assert.Null(PersonHint.FromKey("alias|"));
    }
}
