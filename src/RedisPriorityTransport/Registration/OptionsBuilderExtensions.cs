using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RedisPriorityTransport;

internal static class OptionsBuilderExtensions
{
    /// <summary>
    /// Binds the options from <paramref name="section"/> of the application's configuration (<c>BindConfiguration</c>),
    /// when the container has one: a bare <c>ServiceCollection</c> (tests, console tools) has none and keeps the
    /// defaults and code settings.
    /// </summary>
    public static OptionsBuilder<T> BindConfigurationIfPresent<T>(this OptionsBuilder<T> builder, string section) where T : class =>
        builder.Services.Any(d => d.ServiceType == typeof(IConfiguration)) ? builder.BindConfiguration(section) : builder;
}
