namespace Helsingborg.Outreach;

/// <summary>Where an outreach session reached people: online (ads and chats) or in the street.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(KebabCaseEnumConverter<OutreachType>))]
public enum OutreachType
{
    Internet,
    Street,
}
