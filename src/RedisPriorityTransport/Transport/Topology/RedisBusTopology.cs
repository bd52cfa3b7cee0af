using MassTransit.Configuration;
using MassTransit.Transports;

namespace RedisPriorityTransport.Transport;

/// <summary>The bus topology of a Redis bus.</summary>
internal sealed class RedisBusTopology(IHostConfiguration hostConfiguration, ITopologyConfiguration configuration)
    : BusTopology(hostConfiguration, configuration);
