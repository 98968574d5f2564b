// itron-cfg model: names of the object classes.
#include "model.hpp"

namespace itron::cfg {

const ClassInfo& class_info(ObjectClass cls) {
  static constexpr std::array<ClassInfo, kObjectClassCount> infos = {{
      {"CRE_TSK", "task", "TNUM_TSKID", "tsk"},
      {"CRE_SEM", "semaphore", "TNUM_SEMID", "sem"},
      {"CRE_FLG", "eventflag", "TNUM_FLGID", "flg"},
      {"CRE_DTQ", "data queue", "TNUM_DTQID", "dtq"},
      {"CRE_MBX", "mailbox", "TNUM_MBXID", "mbx"},
      {"CRE_MPF", "fixed-size memory pool", "TNUM_MPFID", "mpf"},
      {"CRE_CYC", "cyclic handler", "TNUM_CYCID", "cyc"},
      {"CRE_ALM", "alarm handler", "TNUM_ALMID", "alm"},
  }};
  return infos[static_cast<std::size_t>(cls)];
}

}  // namespace itron::cfg
