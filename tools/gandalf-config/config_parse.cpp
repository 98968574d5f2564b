// Reads a configuration's TOML into a Spec: keys, types and sizes, with every value's position.
// Semantic rules (ranges, alignment, conflicts) are config_check.cpp's.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <span>

#if __has_include(<toml++/toml.hpp>)
#include <toml++/toml.hpp>
#else
#include <toml++/toml.h>  // Debian ships the single header under its old name
#endif

#include "config_model.hpp"

namespace gandalf::tool {
namespace {

using Keys = std::span<const std::string_view>;

constexpr std::array<std::string_view, 7> all_top_keys{"machine", "layout",   "gandalf", "linux",
                                                       "rtos",    "platform", "channel"};
constexpr std::array<std::string_view, 1> machine_keys{"memory"};
constexpr std::array<std::string_view, 3> layout_keys{"linux_limit", "rtos_window", "gandalf_virt"};
constexpr std::array<std::string_view, 5> gandalf_keys{"memory", "image_store", "console",
                                                       "tick_us", "dump_store"};
constexpr std::array<std::string_view, 2> platform_keys{"name", "devices"};
constexpr std::array<std::string_view, 3> device_keys{"name", "ports", "irq"};
constexpr std::array<std::string_view, 7> channel_keys{"name",        "ends",          "address", "size",
                                                       "record_size", "doorbell_irqs", "interval_us"};
// Every partition key; "name" (first) is for [[rtos]] only, "initrd" (last) for [linux] only.
constexpr std::array<std::string_view, 19> partition_keys{
    "name",     "memory",       "image",    "virtualization", "console",
    "io_ports", "irqs",         "on_fault", "max_restarts",   "strict_hypercalls",
    "emulate",  "wake_on_halt", "args",     "console_tail",   "dump_memory",
    "budget_us", "period_us",   "on_budget", "initrd"};
constexpr std::span<const std::string_view> linux_keys = std::span(partition_keys).subspan(1);
constexpr std::span<const std::string_view> rtos_keys =
    std::span(partition_keys).first(partition_keys.size() - 1);

template <class E>
struct Choice {
  std::string_view word;
  E value;
};

constexpr std::array<Choice<config::Com>, 4> com_choices{{{"com1", config::Com::com1},
                                                          {"com2", config::Com::com2},
                                                          {"com3", config::Com::com3},
                                                          {"com4", config::Com::com4}}};
constexpr std::array<Choice<config::Virtualization>, 2> virt_choices{
    {{"para", config::Virtualization::para}, {"full", config::Virtualization::full}}};
constexpr std::array<Choice<config::OnFault>, 2> fault_choices{
    {{"stop", config::OnFault::stop}, {"restart", config::OnFault::restart}}};
constexpr std::array<Choice<config::OnBudget>, 3> budget_choices{
    {{config::on_budget_name(config::OnBudget::throttle), config::OnBudget::throttle},
     {config::on_budget_name(config::OnBudget::restart), config::OnBudget::restart},
     {config::on_budget_name(config::OnBudget::stop), config::OnBudget::stop}}};

Position position(const toml::source_region& region) {
  return {region.begin.line, region.begin.column};
}

Position position(const toml::node& node) { return position(node.source()); }

std::string_view type_phrase(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// Levenshtein distance, to suggest the key a typo meant.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
    }
  }
  return row[b.size()];
}

std::string suggestion(std::string_view key, Keys allowed) {
  for (std::string_view candidate : allowed)
    if (edit_distance(key, candidate) <= 2) return fmt::format(" (did you mean '{}'?)", candidate);
  return {};
}

// A table being read and how messages name it: `where` for key lists ("in [linux]"),
// `owner` to qualify a key ("linux.memory", "rtos0.memory", "gandalf.console").
struct Scope {
  const toml::table& table;
  std::string where;
  std::string owner;
  Diagnostics& diags;

  [[nodiscard]] std::string qualified(std::string_view key) const {
    return fmt::format("{}.{}", owner, key);
  }
};

// `elsewhere`: keys the caller reports with a message of its own (a key of another table).
void check_keys(const Scope& scope, Keys allowed, Keys elsewhere = {}) {
  for (auto&& [key, node] : scope.table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
    if (std::find(elsewhere.begin(), elsewhere.end(), key.str()) != elsewhere.end()) continue;
    scope.diags.error(position(key.source()),
                      fmt::format("unknown key '{}' {}{}", key.str(), scope.where,
                                  suggestion(key.str(), allowed)));
  }
}

void type_error(const Scope& scope, std::string_view key, const toml::node& node,
                std::string_view expected) {
  scope.diags.error(position(node), fmt::format("{} must be {}, not {}", scope.qualified(key),
                                                expected, type_phrase(node.type())));
}

// Finds `key` and points the field at it; an absent key leaves the default and points the
// field at the table, so that errors about a defaulted value still cite a line.
template <class T>
const toml::node* locate(const Scope& scope, std::string_view key, Field<T>& field) {
  field.at = position(scope.table);
  const toml::node* node = scope.table.get(key);
  if (node != nullptr) field.at = position(*node);
  return node;
}

void read_int(const Scope& scope, std::string_view key, Field<std::int64_t>& field) {
  const toml::node* node = locate(scope, key, field);
  if (node == nullptr) return;
  if (const auto* value = node->as_integer()) {
    field.value = value->get();
    field.given = true;
  } else {
    type_error(scope, key, *node, "an integer");
  }
}

// max_restarts: a count, or "unlimited" (kept as 0: what Gandalf takes for no bound).
void read_restarts(const Scope& scope, PartitionSpec& spec) {
  Field<std::int64_t>& field = spec.max_restarts;
  const toml::node* node = locate(scope, "max_restarts", field);
  if (node == nullptr) return;
  if (const auto* count = node->as_integer()) {
    field.value = count->get();
  } else if (const auto* text = node->as_string(); text != nullptr && text->get() == "unlimited") {
    field.value = 0;
    spec.unlimited_restarts = true;
  } else {
    return type_error(scope, "max_restarts", *node, "an integer or \"unlimited\"");
  }
  field.given = true;
}

void read_bool(const Scope& scope, std::string_view key, Field<bool>& field) {
  const toml::node* node = locate(scope, key, field);
  if (node == nullptr) return;
  if (const auto* value = node->as_boolean()) {
    field.value = value->get();
    field.given = true;
  } else {
    type_error(scope, key, *node, "a boolean (true or false)");
  }
}

void read_string(const Scope& scope, std::string_view key, Field<std::string>& field) {
  const toml::node* node = locate(scope, key, field);
  if (node == nullptr) return;
  if (const auto* value = node->as_string()) {
    field.value = value->get();
    field.given = true;
  } else {
    type_error(scope, key, *node, "a string");
  }
}

std::optional<std::int64_t> size_multiplier(std::string_view suffix) {
  if (suffix == "K" || suffix == "KiB") return 1024;
  if (suffix == "M" || suffix == "MiB") return 1024 * 1024;
  return std::nullopt;
}

}  // namespace

// "96M", "2MiB", "64K", "64KiB": a decimal count and a binary unit. Bigger than 4 GiB is
// still returned (as long as it fits 64 bits) so that the checker can say "too big".
std::optional<std::int64_t> parse_size(std::string_view text) {
  std::int64_t count = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  const auto multiplier = size_multiplier(text.substr(static_cast<std::size_t>(end - text.data())));
  if (!multiplier || count < 0 || count > (std::int64_t{1} << 40)) return std::nullopt;
  return count * *multiplier;
}

namespace {

void read_size_string(const Scope& scope, std::string_view key,
                      const toml::value<std::string>& text, Field<std::int64_t>& field) {
  if (const auto bytes = parse_size(text.get())) {
    field.value = *bytes;
    field.given = true;
    return;
  }
  scope.diags.error(field.at, fmt::format("{} has an invalid size \"{}\" (expected bytes, or a "
                                          "count with K, M, KiB or MiB, like \"4M\")",
                                          scope.qualified(key), text.get()));
}

void read_size(const Scope& scope, std::string_view key, Field<std::int64_t>& field) {
  const toml::node* node = locate(scope, key, field);
  if (node == nullptr) return;
  if (const auto* text = node->as_string()) return read_size_string(scope, key, *text, field);
  if (const auto* value = node->as_integer()) {
    field.value = value->get();
    field.given = true;
    return;
  }
  type_error(scope, key, *node, "a size (bytes, or a string like \"4M\")");
}

template <class E, std::size_t N>
std::string choice_list(const std::array<Choice<E>, N>& choices) {
  std::string list;
  for (const auto& choice : choices)
    list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", choice.word);
  return list;
}

template <class E, std::size_t N>
void read_choice(const Scope& scope, std::string_view key, Field<E>& field,
                 const std::array<Choice<E>, N>& choices) {
  const toml::node* node = locate(scope, key, field);
  if (node == nullptr) return;
  const auto* text = node->as_string();
  if (text == nullptr)
    return type_error(scope, key, *node, fmt::format("one of {}", choice_list(choices)));
  for (const auto& choice : choices) {
    if (choice.word != text->get()) continue;
    field.value = choice.value;
    field.given = true;
    return;
  }
  scope.diags.error(field.at, fmt::format("{} must be one of {}, not \"{}\"", scope.qualified(key),
                                          choice_list(choices), text->get()));
}

// A [first, last] pair of integers, as io_ports entries and rtos_window are written.
std::optional<std::array<std::int64_t, 2>> int_pair(const toml::node& node) {
  const auto* pair = node.as_array();
  if (pair == nullptr || pair->size() != 2) return std::nullopt;
  const auto* first = pair->get(0)->as_integer();
  const auto* last = pair->get(1)->as_integer();
  if (first == nullptr || last == nullptr) return std::nullopt;
  return std::array{first->get(), last->get()};
}

const toml::array* read_array(const Scope& scope, std::string_view key, const toml::node& node) {
  const auto* array = node.as_array();
  if (array == nullptr) type_error(scope, key, node, "an array");
  return array;
}

// A list whose entries `take` converts (nullopt: an entry of another type than `what`).
template <class T, class Take>
void read_list(const Scope& scope, std::string_view key, Field<std::vector<T>>& field, std::string_view what,
               Take take) {
  const toml::node* node = locate(scope, key, field);
  if (node == nullptr) return;
  const toml::array* array = read_array(scope, key, *node);
  if (array == nullptr) return;
  field.given = true;
  for (const toml::node& entry : *array) {
    if (std::optional<T> value = take(entry)) {
      field.value.push_back(*value);
      continue;
    }
    scope.diags.error(position(entry), fmt::format("each entry of {} must be {}, not {}", scope.qualified(key),
                                                   what, type_phrase(entry.type())));
  }
}

void read_int_list(const Scope& scope, std::string_view key, Field<std::vector<IrqSpec>>& field) {
  read_list(scope, key, field, "an integer", [](const toml::node& e) -> std::optional<IrqSpec> {
    if (const auto* v = e.as_integer()) return IrqSpec{v->get(), position(e)};
    return std::nullopt;
  });
}

void read_irqs(const Scope& scope, Field<std::vector<IrqSpec>>& field) { read_int_list(scope, "irqs", field); }

void read_ports(const Scope& scope, Field<std::vector<PortSpec>>& field) {
  read_list(scope, "io_ports", field, "a [first, last] pair of integers",
            [](const toml::node& e) -> std::optional<PortSpec> {
              if (const auto pair = int_pair(e)) return PortSpec{(*pair)[0], (*pair)[1], position(e), false};
              return std::nullopt;
            });
}

void read_name_list(const Scope& scope, std::string_view key, Field<std::vector<NamedSpec>>& field) {
  read_list(scope, key, field, "a string", [](const toml::node& e) -> std::optional<NamedSpec> {
    if (const auto* v = e.as_string()) return NamedSpec{v->get(), position(e)};
    return std::nullopt;
  });
}

// emulate = ["pic", "pit"]: which of Gandalf's virtual devices answer the partition's port I/O.
void read_emulate_entry(const Scope& scope, const toml::node& entry, PartitionSpec& spec) {
  const auto* word = entry.as_string();
  Field<bool>* flag = nullptr;
  if (word != nullptr && word->get() == "pic") flag = &spec.emulate_pic;
  if (word != nullptr && word->get() == "pit") flag = &spec.emulate_pit;
  if (flag == nullptr) {
    scope.diags.error(position(entry), fmt::format("each entry of {} must be \"pic\" or \"pit\"",
                                                   scope.qualified("emulate")));
  } else if (flag->value) {
    scope.diags.error(position(entry), fmt::format("{} lists \"{}\" twice",
                                                   scope.qualified("emulate"), word->get()));
  }
  if (flag != nullptr) flag->value = true;
}

void read_emulate(const Scope& scope, PartitionSpec& spec) {
  const toml::node* node = locate(scope, "emulate", spec.emulate_pic);
  spec.emulate_pit.at = spec.emulate_pic.at;
  if (node == nullptr) return;
  const toml::array* array = read_array(scope, "emulate", *node);
  if (array == nullptr) return;
  spec.emulate_pic = {false, position(*node), true};
  spec.emulate_pit = {false, position(*node), true};
  for (const toml::node& entry : *array) read_emulate_entry(scope, entry, spec);
}

void require(const Scope& scope, std::string_view key, bool given) {
  if (given || scope.table.get(key) != nullptr) return;  // present but ill-typed: reported
  scope.diags.error(position(scope.table),
                    fmt::format("missing required key '{}' {}", key, scope.where));
}

// The console UART's eight registers are the partition's ports unless io_ports says otherwise.
void default_ports(PartitionSpec& spec) {
  if (spec.io_ports.given || spec.console.value == config::Com::none) return;
  const std::int64_t base = com_base(spec.console.value);
  spec.io_ports.value.push_back({base, base + 7, spec.console.at, true});
}

void read_partition_keys(const Scope& scope, PartitionSpec& spec) {
  read_size(scope, "memory", spec.memory);
  read_string(scope, "image", spec.image);
  read_choice(scope, "virtualization", spec.virt, virt_choices);
  read_choice(scope, "console", spec.console, com_choices);
  read_ports(scope, spec.io_ports);
  read_irqs(scope, spec.irqs);
  read_choice(scope, "on_fault", spec.on_fault, fault_choices);
  read_restarts(scope, spec);
  read_bool(scope, "strict_hypercalls", spec.strict_hypercalls);
  read_emulate(scope, spec);
  read_string(scope, "wake_on_halt", spec.wake_on_halt);
  read_string(scope, "args", spec.args);
  read_size(scope, "console_tail", spec.console_tail);
  read_size(scope, "dump_memory", spec.dump_memory);
  read_int(scope, "budget_us", spec.budget_us);
  read_int(scope, "period_us", spec.period_us);
  read_choice(scope, "on_budget", spec.on_budget, budget_choices);
  require(scope, "memory", spec.memory.given);
  default_ports(spec);
  // The image is named after the partition unless the file says otherwise.
  if (!spec.image.given) spec.image.value = spec.name.value;
}

const toml::table* sub_table(const toml::table& root, std::string_view key, Diagnostics& diags) {
  const toml::node* node = root.get(key);
  if (node == nullptr) {
    diags.error(position(root), fmt::format("missing required table [{}]", key));
    return nullptr;
  }
  if (node->as_table() == nullptr)
    diags.error(position(*node),
                fmt::format("{} must be a table, not {}", key, type_phrase(node->type())));
  return node->as_table();
}

void read_machine(const toml::table& table, Spec& spec, Diagnostics& diags) {
  const Scope scope{table, "in [machine]", "machine", diags};
  check_keys(scope, machine_keys);
  read_size(scope, "memory", spec.system.machine_memory);
  require(scope, "memory", spec.system.machine_memory.given);
}

void read_window(const Scope& scope, SystemSpec& system) {
  const toml::node* node = locate(scope, "rtos_window", system.window_first);
  system.window_last.at = system.window_first.at;
  if (node == nullptr) return;
  const auto pair = int_pair(*node);
  if (!pair) return type_error(scope, "rtos_window", *node, "a [first, last] pair of integers");
  system.window_first = {(*pair)[0], position(*node), true};
  system.window_last = {(*pair)[1], position(*node), true};
}

// [layout] is optional: every key has the paper's default.
void read_layout(const toml::table& root, Spec& spec, Diagnostics& diags) {
  static const toml::table empty;
  const toml::node* node = root.get("layout");
  const toml::table* table = node != nullptr ? node->as_table() : &empty;
  if (table == nullptr) return (void)sub_table(root, "layout", diags);  // reports the type
  const Scope scope{*table, "in [layout]", "layout", diags};
  check_keys(scope, layout_keys);
  read_int(scope, "linux_limit", spec.system.linux_limit);
  read_window(scope, spec.system);
  read_int(scope, "gandalf_virt", spec.system.gandalf_virt);
  if (node == nullptr) {  // defaults cite the top of the file
    for (Field<std::int64_t>* field : {&spec.system.linux_limit, &spec.system.window_first,
                                       &spec.system.window_last, &spec.system.gandalf_virt})
      field->at = position(root);
  }
}

void read_gandalf(const toml::table& table, Spec& spec, Diagnostics& diags) {
  const Scope scope{table, "in [gandalf]", "gandalf", diags};
  check_keys(scope, gandalf_keys);
  read_size(scope, "memory", spec.system.gandalf_memory);
  read_size(scope, "image_store", spec.system.image_store);
  read_choice(scope, "console", spec.system.console, com_choices);
  read_int(scope, "tick_us", spec.system.tick_us);
  read_size(scope, "dump_store", spec.system.dump_store);
  require(scope, "memory", spec.system.gandalf_memory.given);
  require(scope, "image_store", spec.system.image_store.given);
}

// One entry of [platform] devices: {name = "com1", ports = [0x3f8, 0x3ff], irq = 4}.
void read_device(const Scope& platform, const toml::node& entry, std::size_t index,
                 PlatformSpec& spec) {
  const auto* table = entry.as_table();
  if (table == nullptr) {
    platform.diags.error(position(entry),
                         fmt::format("each entry of platform.devices must be a table like "
                                     "{{name = \"com1\", ports = [0x3f8, 0x3ff], irq = 4}}, not {}",
                                     type_phrase(entry.type())));
    return;
  }
  const Scope scope{*table, fmt::format("in platform.devices[{}]", index),
                    fmt::format("platform.devices[{}]", index), platform.diags};
  check_keys(scope, device_keys);
  Field<std::string> name;
  Field<std::int64_t> irq;
  read_string(scope, "name", name);
  read_int(scope, "irq", irq);
  DeviceSpec device{name.value, 0, -1, irq.value, position(entry)};
  const toml::node* ports = table->get("ports");
  if (ports != nullptr) {
    if (const auto pair = int_pair(*ports)) {
      device.first = (*pair)[0];
      device.last = (*pair)[1];
    } else {
      type_error(scope, "ports", *ports, "a [first, last] pair of integers");
    }
  }
  require(scope, "name", name.given);
  require(scope, "ports", ports != nullptr);
  require(scope, "irq", irq.given);
  // An incomplete entry is reported above; leaving it out keeps the wiring checks meaningful.
  if (name.given && irq.given && ports != nullptr && int_pair(*ports))
    spec.devices.value.push_back(std::move(device));
}

// [platform] is optional: without it the machine has the PC/AT wiring.
void read_platform(const toml::table& root, Spec& spec, Diagnostics& diags) {
  PlatformSpec& platform = spec.platform;
  const toml::node* node = root.get("platform");
  platform.name.at = platform.devices.at = position(root);
  if (node == nullptr) return;
  const toml::table* table = node->as_table();
  if (table == nullptr) return (void)sub_table(root, "platform", diags);  // reports the type
  const Scope scope{*table, "in [platform]", "platform", diags};
  check_keys(scope, platform_keys);
  read_string(scope, "name", platform.name);
  platform.devices.at = position(*table);
  const toml::node* devices = locate(scope, "devices", platform.devices);
  if (devices == nullptr) return;
  const toml::array* array = read_array(scope, "devices", *devices);
  if (array == nullptr) return;
  platform.devices.given = true;
  for (std::size_t i = 0; i < array->size(); ++i) read_device(scope, *array->get(i), i, platform);
}

void read_linux(const toml::table& table, Spec& spec, Diagnostics& diags) {
  PartitionSpec linux_spec;
  linux_spec.kind = config::Kind::linux_slot;
  linux_spec.label = "linux";
  linux_spec.at = position(table);
  linux_spec.name = {"linux", position(table), true};
  const Scope scope{table, "in [linux]", "linux", diags};
  check_keys(scope, linux_keys, std::span(partition_keys).first(1));  // "name": below
  if (const toml::node* name = table.get("name"))
    diags.error(position(*name),
                "[linux] takes no 'name': the Linux partition is always "
                "named \"linux\"");
  read_partition_keys(scope, linux_spec);
  // The initramfs a Linux kernel unpacks: a module name like `image` (none when absent).
  read_string(scope, "initrd", linux_spec.initrd);
  spec.partitions.push_back(std::move(linux_spec));
  spec.has_linux = true;
}

// The required `name` of entry `index` of a [[KIND]] array; returns the label messages use (the
// name, or "KIND[index]" while the name is unusable).
std::string read_entry_name(const toml::table& table, std::string_view kind, std::size_t index, Field<std::string>& name,
                            Diagnostics& diags) {
  const Scope name_scope{table, fmt::format("in [[{}]]", kind), fmt::format("{}[{}]", kind, index), diags};
  read_string(name_scope, "name", name);
  require(name_scope, "name", name.given);
  return name.given && !name.value.empty() ? name.value : name_scope.owner;
}

// An array of tables [[KIND]]: `read_one(table, index)` for each; absent is fine, and so is
// `KIND = []` (toml++ calls an empty array heterogeneous).
template <class ReadOne>
void read_table_array(const toml::table& root, std::string_view kind, Diagnostics& diags, ReadOne read_one) {
  const toml::node* node = root.get(kind);
  if (node == nullptr) return;
  const auto* array = node->as_array();
  if (array == nullptr || (!array->empty() && !array->is_array_of_tables())) {
    diags.error(position(*node), fmt::format("{0} must be an array of tables ([[{0}]]), not {1}", kind,
                                             type_phrase(node->type())));
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) read_one(*array->get(i)->as_table(), i);
}

void read_rtos(const toml::table& table, std::size_t index, Spec& spec, Diagnostics& diags) {
  PartitionSpec rtos;
  rtos.at = position(table);
  rtos.label = read_entry_name(table, "rtos", index, rtos.name, diags);
  const Scope scope{table, fmt::format("in [[rtos]] {}", rtos.label), rtos.label, diags};
  check_keys(scope, rtos_keys, std::span(partition_keys).last(1));  // "initrd": below
  if (const toml::node* initrd = table.get("initrd"))
    diags.error(position(*initrd),
                fmt::format("[[rtos]] {} takes no 'initrd': only [linux] boots a kernel "
                            "with an initramfs",
                            rtos.label));
  read_partition_keys(scope, rtos);
  spec.partitions.push_back(std::move(rtos));
}

void read_channel(const toml::table& table, std::size_t index, Spec& spec, Diagnostics& diags) {
  ChannelSpec c;
  c.at = position(table);
  c.label = read_entry_name(table, "channel", index, c.name, diags);
  const Scope scope{table, fmt::format("in [[channel]] {}", c.label), c.label, diags};
  check_keys(scope, channel_keys);
  read_name_list(scope, "ends", c.ends);
  read_int(scope, "address", c.address);
  read_size(scope, "size", c.size);
  read_int(scope, "record_size", c.record_size);
  read_int_list(scope, "doorbell_irqs", c.doorbell_irqs);
  read_int_list(scope, "interval_us", c.interval_us);
  require(scope, "ends", c.ends.given);
  require(scope, "address", c.address.given);
  require(scope, "size", c.size.given);
  require(scope, "doorbell_irqs", c.doorbell_irqs.given);
  spec.channels.push_back(std::move(c));
}

void read_document(const toml::table& root, Spec& spec, Diagnostics& diags) {
  check_keys(Scope{root, "at the top level", "", diags}, all_top_keys);
  if (const toml::table* table = sub_table(root, "machine", diags))
    read_machine(*table, spec, diags);
  read_layout(root, spec, diags);
  if (const toml::table* table = sub_table(root, "gandalf", diags))
    read_gandalf(*table, spec, diags);
  if (const toml::table* table = sub_table(root, "linux", diags)) read_linux(*table, spec, diags);
  // A system may consist of Linux alone: no [[rtos]].
  read_table_array(root, "rtos", diags, [&](const toml::table& t, std::size_t i) { read_rtos(t, i, spec, diags); });
  read_platform(root, spec, diags);
  read_table_array(root, "channel", diags, [&](const toml::table& t, std::size_t i) { read_channel(t, i, spec, diags); });
  if (!spec.platform.devices.given) spec.platform.devices.value = pc_wiring(spec.platform.name.at);
}

}  // namespace

bool parse_spec(std::string_view text, Spec& spec, Diagnostics& diags) {
  const std::size_t errors_before = diags.error_count();
  try {
    const toml::table root = toml::parse(text, std::string_view{diags.file()});
    read_document(root, spec, diags);
  } catch (const toml::parse_error& error) {
    // toml++'s own message and position; nothing else can be read from a broken file.
    diags.error(position(error.source()), std::string{error.description()});
  }
  return diags.error_count() == errors_before;
}

}  // namespace gandalf::tool
