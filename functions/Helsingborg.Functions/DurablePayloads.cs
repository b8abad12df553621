using Azure.Core.Serialization;
using Helsingborg.Lifecycle;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Functions;

/// <summary>
/// The worker's serializer, which its Durable extension uses for orchestration inputs, outputs, event payloads and
/// custom status, set to <see cref="DurableJson.Options"/>: the local host's engine writes with the same options.
/// </summary>
public static class DurablePayloads
{
    public static IServiceCollection AddDurablePayloads(this IServiceCollection services) =>
        services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(DurableJson.Options));
}
