package org.elasticsearch.node;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsService;

import java.util.Collection;
import java.util.List;

/** A Node whose plugins are classes on the classpath (see ClasspathPluginsService). */
public class ClasspathPluginsNode extends Node {

    public ClasspathPluginsNode(Environment environment, Collection<Class<? extends Plugin>> pluginClasses) {
        super(NodeConstruction.prepareConstruction(environment, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, Settings settings) {
                return new ClasspathPluginsService(settings, env, List.copyOf(pluginClasses));
            }
        }, true));
    }
}
