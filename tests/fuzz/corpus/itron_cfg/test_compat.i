# 0 "test_compat.cfg"
# 1 "test_compat.cfg"
# 1 "test_compat.h" 1
# 5 "test_compat.cfg" 2
INCLUDE("\"test_compat.h\"");
INCLUDE("syssvc/syslog.cfg");
INCLUDE("syssvc/banner.cfg");
INCLUDE("syssvc/serial.cfg");
INCLUDE("syssvc/logtask.cfg");
CRE_TSK(MAIN_TASK, { 0x00U | 0x02U, 0, main_task, 5, 4096U, 
# 11 "test_compat.cfg" 3 4
                                                                               ((void *)0) 
# 11 "test_compat.cfg"
                                                                                    });
CRE_TSK(OTHER_TASK, { 0x00U, 42, other_task, 10, 4096U, 
# 12 "test_compat.cfg" 3 4
                                                                          ((void *)0) 
# 12 "test_compat.cfg"
                                                                               });
CRE_SEM(SEM1, { 0x00U, 0, 1 });
CRE_DTQ(DTQ1, { 0x00U, 2, 
# 14 "test_compat.cfg" 3 4
                            ((void *)0) 
# 14 "test_compat.cfg"
                                 });
CRE_MBX(MBX1, { 0x00U | 0x00U, 1, 
# 15 "test_compat.cfg" 3 4
                                       ((void *)0) 
# 15 "test_compat.cfg"
                                            });
CRE_MPF(MPF1, { 0x00U, 2, 16, 
# 16 "test_compat.cfg" 3 4
                                ((void *)0) 
# 16 "test_compat.cfg"
                                     });
DEF_EXC(6U, { 0x00U, cpuexc_handler });
